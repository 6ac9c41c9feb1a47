namespace Registry.Contracts.Events;

/// <summary>
/// An event about a person, published on the registry's Orleans stream for subscribers such as ministries: births,
/// deaths, relocations between provinces, reorganisations, and identity cards issued, lost, revoked and expired. Delivered at least once: a subscriber deduplicates by
/// <see cref="EventId"/>.
/// </summary>
/// <param name="EventId">Unique and stable: the operation id of the change in the province ledger.</param>
/// <param name="Kind">What happened.</param>
/// <param name="PersonalIdNumber">Whom it happened to.</param>
/// <param name="ProvinceCode">Where: the province of the birth or death, the province left by a relocation or reorganisation.</param>
/// <param name="ToProvinceCode">For relocations and reorganisations, the province entered; null otherwise.</param>
/// <param name="RecordedAt">When the registry recorded it.</param>
[GenerateSerializer, Immutable, Alias("registry.RegistryEvent")]
public sealed record RegistryEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] RegistryEventKind Kind,
    [property: Id(2)] string PersonalIdNumber,
    [property: Id(3)] string ProvinceCode,
    [property: Id(4)] string? ToProvinceCode,
    [property: Id(5)] DateTimeOffset RecordedAt)
{
    /// <summary>
    /// The event's place in the registry's order of events: a subscriber that missed some (its silo died, it was
    /// down) reads <c>GET /events?after=</c> the position of the last one it has.
    /// </summary>
    [Id(6)]
    public long Position { get; init; }

    /// <summary>For an identity card's event, the card's document number; null otherwise.</summary>
    [Id(7)]
    public string? DocumentNumber { get; init; }

    /// <summary>The stream provider's name, configured on silos and on clients that subscribe.</summary>
    public const string StreamProvider = "registry-events";

    /// <summary>The namespace of the stream every event goes on (<c>StreamId.Create(StreamNamespace, StreamKey)</c>).</summary>
    public const string StreamNamespace = "registry";

    /// <summary>The key of the stream every event goes on.</summary>
    public const string StreamKey = "events";
}

/// <summary>Kinds of <see cref="RegistryEvent"/>.</summary>
[GenerateSerializer, Alias("registry.RegistryEventKind")]
public enum RegistryEventKind
{
    /// <summary>A newborn was registered.</summary>
    Birth = 0,

    /// <summary>A death was recorded.</summary>
    Death = 1,

    /// <summary>A person moved their permanent residence to another province.</summary>
    Relocation = 2,

    /// <summary>A reorganisation moved a person's address from an absorbed province to the surviving one.</summary>
    Reorganisation = 3,

    /// <summary>An identity card was handed to its holder (<see cref="RegistryEvent.ProvinceCode"/>: the card's province).</summary>
    CardIssued = 4,

    /// <summary>An identity card was reported lost: it is no longer valid.</summary>
    CardReportedLost = 5,

    /// <summary>An identity card was revoked (replaced, its holder died, withdrawn).</summary>
    CardRevoked = 6,

    /// <summary>An identity card reached its expiry; recorded by the daily expiry sweep (issue 12, part 6).</summary>
    CardExpired = 7,
}
