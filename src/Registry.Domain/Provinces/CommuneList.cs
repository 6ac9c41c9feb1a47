using System.Security.Cryptography;
using System.Text;
using Registry.Contracts.Provinces;

namespace Registry.Domain.Provinces;

/// <summary>A commune, ward, township or special zone as a national list gives it.</summary>
/// <param name="ProvinceCode">The provincial-level unit it belongs to, among the units the list is for.</param>
/// <param name="Code">Five digits, unique in the country (Decision 124/2004/QĐ-TTg).</param>
/// <param name="Name">Vietnamese name, NFC and trimmed.</param>
/// <param name="DistrictCode">Its district's three digits; null in a list of the 2025 units, which have no district level.</param>
/// <param name="DistrictName">Its district's name; null with <paramref name="DistrictCode"/>.</param>
public sealed record ListedCommune(string ProvinceCode, string Code, string Name, string? DistrictCode, string? DistrictName);

/// <summary>
/// A national list of communes for one set of provincial-level units: the 63 of 2024, or the 34 after Resolution
/// 202/2025/QH15. The list that is in force says which communes exist and which province each belongs to (a commune
/// code is national: it belongs to exactly one province). A list for units that are not current yet is held, stored but
/// not in force, until a reorganisation makes those units current (<see cref="InForce"/>).
/// </summary>
/// <param name="Units">
/// Which units the list is for: <see cref="Units2024"/>, or the id of the plan after which the units are those listed
/// (<see cref="ReorganisationPlans.Resolution202Id"/>).
/// </param>
/// <param name="Communes">The communes in the order of the file.</param>
public sealed partial record CommuneList(string Units, IReadOnlyList<ListedCommune> Communes)
{
    /// <summary>The <see cref="Units"/> of a list of the 63 units in force until 30 June 2025.</summary>
    public const string Units2024 = "2024";

    private static readonly Lazy<IReadOnlySet<string>> Codes2024 = new(() => ProvinceUnits.Of2024.Current);

    // Lazy, as ReorganisationPlans.Resolution202 is: a damaged resource breaks only what needs it.
    private static readonly Lazy<IReadOnlySet<string>> CodesAfterResolution202 =
        new(() => ProvinceUnits.After([ReorganisationPlans.Resolution202]).Current);

    /// <summary>
    /// A fingerprint of the list's content (units and every row, in order): two imports of the same list have the same
    /// digest, so that importing it again changes nothing.
    /// </summary>
    public string Digest
    {
        get
        {
            var text = new StringBuilder(Units).Append('\n');
            foreach (var commune in Communes)
            {
                text.Append(commune.ProvinceCode).Append(',').Append(commune.DistrictCode).Append(',').Append(commune.DistrictName)
                    .Append(',').Append(commune.Code).Append(',').Append(commune.Name).Append('\n');
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
    }

    /// <summary>The codes of the units a list of <paramref name="units"/> is for; null for units no list can be for.</summary>
    public static IReadOnlySet<string>? UnitCodes(string? units) => units switch
    {
        Units2024 => Codes2024.Value,
        ReorganisationPlans.Resolution202Id => CodesAfterResolution202.Value,
        _ => null,
    };

    /// <summary>
    /// Which of the <paramref name="stored"/> lists is in force on <paramref name="today"/> after the
    /// <paramref name="accepted"/> plans (those whose effective date has come make their units current): the list for
    /// the current units; when none was stored for them, the list for the latest units before them that has one, whose
    /// communes then belong to the unit their province was merged into. Null when no stored list was ever for units
    /// current until today: the province grains' own communes stay the reference, as before any list.
    /// </summary>
    /// <remarks>
    /// A list is matched to units by their codes, not by a plan's id: a plan that only renames units leaves the list in
    /// force, and a list for the 2025 units comes into force whatever id the operator gave the 2025 plan.
    /// </remarks>
    public static string? InForce(IReadOnlyCollection<string> stored, IReadOnlyList<ReorganisationPlan> accepted, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(accepted);
        var stages = new List<IReadOnlySet<string>> { ProvinceUnits.Of2024.Current };
        var units = ProvinceUnits.Of2024;
        foreach (var plan in accepted.TakeWhile(plan => plan.EffectiveOn <= today))
        {
            units = units.Apply(plan).Units ?? units;
            stages.Add(units.Current);
        }

        for (var stage = stages.Count - 1; stage >= 0; stage--)
        {
            if (stored.FirstOrDefault(list => UnitCodes(list) is { } codes && codes.SetEquals(stages[stage])) is { } inForce)
            {
                return inForce;
            }
        }

        return null;
    }
}
