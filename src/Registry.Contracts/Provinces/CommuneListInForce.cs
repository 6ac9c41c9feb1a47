namespace Registry.Contracts.Provinces;

/// <summary>
/// What a province knows of the commune list in force, for the read model's queries.
/// </summary>
/// <param name="Units">The units the list is for: <c>2024</c>, or the id of the plan after which the units are those listed.</param>
/// <param name="ListedUnder">
/// The province codes of that list whose communes belong to this province now: its own code, and those of units
/// merged into it when the list is for units before the merger.
/// </param>
[GenerateSerializer, Immutable, Alias("registry.CommuneListInForce")]
public sealed record CommuneListInForce([property: Id(0)] string Units, [property: Id(1)] string[] ListedUnder);
