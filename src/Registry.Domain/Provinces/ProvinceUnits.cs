using System.Collections.Frozen;
using System.Globalization;
using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Domain.Residents;

namespace Registry.Domain.Provinces;

/// <summary>
/// The provincial-level units after applying a sequence of reorganisation plans to the 63 units of 2024, and the
/// unit each code ever in use belongs to now. This is how old codes stay resolvable: a personal ID number keeps the
/// code of the province where the birth was registered for ever (Decree 137/2015), and an address or a request may
/// still name a unit that has since been merged.
/// </summary>
/// <remarks>
/// Immutable: <see cref="Apply"/> returns new units and leaves these as they are. Derived data, not serialised:
/// store the applied plans and rebuild with <see cref="After"/>. <see cref="ProvinceCatalog"/> stays the list of
/// 2024. Plans only merge and rename, so the codes ever known are the 63 of 2024; a split would need a new kind of
/// plan line.
/// </remarks>
public sealed class ProvinceUnits
{
    // Every code ever in use → the unit it belongs to now (a current code maps to its own unit).
    private readonly FrozenDictionary<string, ProvinceUnit> _unitOf;
    private readonly FrozenDictionary<string, ProvinceAbsorption> _absorptions;

    private ProvinceUnits(
        IReadOnlyList<ReorganisationPlan> applied,
        FrozenDictionary<string, ProvinceUnit> unitOf,
        FrozenDictionary<string, ProvinceAbsorption> absorptions)
    {
        Applied = applied;
        _unitOf = unitOf;
        _absorptions = absorptions;
        CurrentUnits = [.. unitOf.Values.DistinctBy(unit => unit.Code).OrderBy(unit => unit.Code, StringComparer.Ordinal)];
        Current = CurrentUnits.Select(unit => unit.Code).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The 63 units of 2024, before any reorganisation: where a fresh registry starts.</summary>
    public static ProvinceUnits Of2024 { get; } = new(
        [],
        ProvinceCatalog.All2024.ToFrozenDictionary(unit => unit.Code, unit => new ProvinceUnit(unit.Code, unit.Name), StringComparer.Ordinal),
        FrozenDictionary<string, ProvinceAbsorption>.Empty);

    /// <summary>The codes of the units that exist now.</summary>
    public IReadOnlySet<string> Current { get; }

    /// <summary>The units that exist now, by code.</summary>
    public IReadOnlyList<ProvinceUnit> CurrentUnits { get; }

    /// <summary>The plans applied since 2024, in the order they were applied.</summary>
    public IReadOnlyList<ReorganisationPlan> Applied { get; }

    /// <summary>
    /// The units after applying <paramref name="plans"/> in order to the units of 2024; for plans already checked,
    /// such as those a registry has applied and stored.
    /// </summary>
    /// <exception cref="ArgumentException">A plan cannot be applied; the message holds every error.</exception>
    public static ProvinceUnits After(IEnumerable<ReorganisationPlan> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var units = Of2024;
        foreach (var plan in plans)
        {
            var (next, errors) = units.Apply(plan);
            units = next ?? throw new ArgumentException(
                $"Plan {plan.Id} cannot be applied: {string.Join(" ", errors.Select(error => error.Message))}", nameof(plans));
        }

        return units;
    }

    /// <summary>Whether <paramref name="code"/> was ever the code of a unit, current or absorbed.</summary>
    public bool IsKnown(string? code) => code is not null && _unitOf.ContainsKey(code);

    /// <summary>Whether <paramref name="code"/> is the code of a unit that exists now.</summary>
    public bool IsCurrent(string? code) => code is not null && Current.Contains(code);

    /// <summary>
    /// The unit that <paramref name="code"/> belongs to now, following absorptions through every plan: itself when
    /// current, the unit that absorbed it (or absorbed that one) otherwise; null for a code never in use.
    /// </summary>
    public ProvinceUnit? Resolve(string? code) =>
        code is not null && _unitOf.TryGetValue(code, out var unit) ? unit : null;

    /// <summary>The plan that absorbed <paramref name="code"/> and into which unit; null for a current or unknown code.</summary>
    public ProvinceAbsorption? AbsorptionOf(string? code) =>
        code is not null && _absorptions.TryGetValue(code, out var absorption) ? absorption : null;

    /// <summary>Whether the plan with <paramref name="planId"/> has been applied.</summary>
    public bool HasApplied(string? planId) => Applied.Any(plan => plan.Id == planId);

    /// <summary>
    /// The units after <paramref name="plan"/>, or why it cannot be applied (and nothing changes): the checks of
    /// <see cref="ReorganisationPlans.Check"/> against <see cref="Current"/>; a plan applied already (same id); a
    /// plan dated before the last applied one, since plans are applied in the order of their dates.
    /// </summary>
    public (ProvinceUnits? Units, FieldError[] Errors) Apply(ReorganisationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new FieldErrors();
        errors.Add("id", HasApplied(plan.Id) ? $"Plan {plan.Id} has been applied already." : null);
        if (Applied.Count > 0 && plan.EffectiveOn < Applied[^1].EffectiveOn)
        {
            var last = Applied[^1];
            errors.Add("effectiveOn",
                $"Plan {plan.Id} takes effect on {Day(plan.EffectiveOn)}, before plan {last.Id} ({Day(last.EffectiveOn)}), "
                + "which has been applied already; plans are applied in the order of their dates.");
        }

        foreach (var error in ReorganisationPlans.Check(plan, Current))
        {
            errors.Add(error.Field, error.Message);
        }

        if (errors.Any)
        {
            return (null, errors.ToArray());
        }

        // What each unit the plan names becomes: the survivor under its new name, the absorbed units into it.
        var becomes = new Dictionary<string, ProvinceUnit>(StringComparer.Ordinal);
        var absorptions = new Dictionary<string, ProvinceAbsorption>(_absorptions, StringComparer.Ordinal);
        foreach (var merger in plan.Mergers)
        {
            var unit = new ProvinceUnit(merger.SurvivingCode, merger.Name);
            becomes[merger.SurvivingCode] = unit;
            foreach (var code in merger.AbsorbedCodes)
            {
                becomes[code] = unit;
                absorptions[code] = new ProvinceAbsorption(code, merger.SurvivingCode, plan.Id, plan.EffectiveOn);
            }
        }

        // Codes absorbed by earlier plans follow the unit they belong to, so resolution stays one look-up.
        var unitOf = _unitOf.ToFrozenDictionary(
            pair => pair.Key, pair => becomes.GetValueOrDefault(pair.Value.Code, pair.Value), StringComparer.Ordinal);
        return (new ProvinceUnits([.. Applied, plan], unitOf, absorptions.ToFrozenDictionary(StringComparer.Ordinal)), []);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
