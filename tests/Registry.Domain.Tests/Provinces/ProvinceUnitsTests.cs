using Registry.Contracts.Provinces;
using Registry.Domain.Provinces;

namespace Registry.Domain.Tests.Provinces;

/// <summary>The units after a sequence of plans, and how every code ever in use resolves to a unit of today.</summary>
public sealed class ProvinceUnitsTests
{
    private static readonly ProvinceUnits After2025 = ProvinceUnits.After([ReorganisationPlans.Resolution202]);

    /// <summary>A fresh registry starts with the 63 units of 2024, each its own unit.</summary>
    [Fact]
    public void The_units_of_2024_are_the_63_codes()
    {
        var units = ProvinceUnits.Of2024;

        Assert.Equal(63, units.Current.Count);
        Assert.Empty(units.Applied);
        Assert.All(ProvinceCatalog.All2024, old => Assert.Equal(new ProvinceUnit(old.Code, old.Name), units.Resolve(old.Code)));
    }

    /// <summary>After Resolution 202 there are 34 units, and every one of the 63 old codes resolves to exactly one of them.</summary>
    [Fact]
    public void Every_old_code_resolves_to_one_of_the_34_units()
    {
        Assert.Equal(34, After2025.Current.Count);
        Assert.Equal(34, After2025.CurrentUnits.Count);
        Assert.Equal(ReorganisationPlans.Resolution202.Mergers.Select(merger => merger.SurvivingCode).Order(), After2025.Current.Order());

        foreach (var old in ProvinceCatalog.All2024)
        {
            var unit = After2025.Resolve(old.Code);
            Assert.NotNull(unit);
            Assert.Equal(old.MergedInto2025, unit.Code);
            Assert.Contains(unit.Code, After2025.Current);
            Assert.True(After2025.IsKnown(old.Code));
            Assert.Equal(old.Code == unit.Code, After2025.IsCurrent(old.Code));
        }

        // 63 codes onto 34 units: the 29 absorbed ones and the 34 kept ones.
        Assert.Equal(29, ProvinceCatalog.All2024.Count(old => !After2025.IsCurrent(old.Code)));
    }

    /// <summary>An absorbed code names its new unit (under the new name) and the plan that merged it.</summary>
    [Fact]
    public void An_absorbed_code_resolves_with_its_history()
    {
        Assert.Equal(new ProvinceUnit("008", "Tuyên Quang"), After2025.Resolve("002"));
        Assert.Equal(new ProvinceUnit("046", "Huế"), After2025.Resolve("046"));
        Assert.Equal(new ProvinceAbsorption("002", "008", "2025-07-01-resolution-202", new DateOnly(2025, 7, 1)), After2025.AbsorptionOf("002"));
        Assert.Null(After2025.AbsorptionOf("008"));
        Assert.True(After2025.HasApplied(ReorganisationPlans.Resolution202Id));
    }

    /// <summary>A code never in use resolves to nothing; that is what refuses a relocation to an unknown province.</summary>
    [Theory]
    [InlineData("099")]
    [InlineData("000")]
    [InlineData("")]
    [InlineData(null)]
    public void A_code_never_in_use_is_unknown(string? code)
    {
        Assert.False(After2025.IsKnown(code));
        Assert.False(After2025.IsCurrent(code));
        Assert.Null(After2025.Resolve(code));
        Assert.Null(After2025.AbsorptionOf(code));
    }

    /// <summary>Absorptions are followed through later plans: a code absorbed in 2025 follows its unit into the next merger.</summary>
    [Fact]
    public void Resolution_follows_absorptions_through_plans()
    {
        var later = Plan("2030-01-01-test", new DateOnly(2030, 1, 1), "008,Tuyên Quang - Lào Cai,province,008;015\n", After2025);

        var (units, errors) = After2025.Apply(later);

        Assert.Empty(errors);
        Assert.Equal(33, units!.Current.Count);
        var merged = new ProvinceUnit("008", "Tuyên Quang - Lào Cai");
        Assert.All<string>(["002", "008", "010", "015"], code => Assert.Equal(merged, units.Resolve(code)));
        Assert.Equal("015", units.AbsorptionOf("010")!.Into);
        Assert.Equal("2030-01-01-test", units.AbsorptionOf("015")!.PlanId);
        Assert.Equal([ReorganisationPlans.Resolution202, later], units.Applied);
        // The units before stay as they were.
        Assert.Equal(34, After2025.Current.Count);
        Assert.Equal(new ProvinceUnit("015", "Lào Cai"), After2025.Resolve("010"));
    }

    /// <summary>A plan that names a unit with its own code alone renames it; the others keep their names.</summary>
    [Fact]
    public void A_plan_can_rename_a_unit()
    {
        var renaming = Plan("2030-renaming", new DateOnly(2030, 1, 1), "046,Thừa Thiên Huế,province,046\n", After2025);

        var units = After2025.Apply(renaming).Units!;

        Assert.Equal(new ProvinceUnit("046", "Thừa Thiên Huế"), units.Resolve("046"));
        Assert.Equal(new ProvinceUnit("001", "Hà Nội"), units.Resolve("001"));
        Assert.Equal(34, units.Current.Count);
    }

    /// <summary>The same plan cannot be applied twice, and nothing changes when it is refused.</summary>
    [Fact]
    public void A_plan_is_applied_once()
    {
        var (units, errors) = After2025.Apply(ReorganisationPlans.Resolution202);

        Assert.Null(units);
        Assert.Contains(errors, error => error is { Field: "id", Message: "Plan 2025-07-01-resolution-202 has been applied already." });
        // Its absorbed codes are gone as well.
        Assert.Contains(errors, error => error.Message == "Line 4, unit 008: 002 is no longer in use: an earlier reorganisation absorbed it.");
        Assert.Equal(34, After2025.Current.Count);
    }

    /// <summary>A plan built in code that absorbs a code absorbed before is refused like a parsed one.</summary>
    [Fact]
    public void A_plan_naming_a_code_absorbed_before_is_refused()
    {
        var plan = new ReorganisationPlan("2030-stale", new DateOnly(2030, 1, 1), [new UnitMerger("019", "Thái Nguyên", ProvinceKind.Province, ["006"])]);

        var (units, errors) = After2025.Apply(plan);

        Assert.Null(units);
        Assert.Equal(("formed_from", "Line 2, unit 019: 006 is no longer in use: an earlier reorganisation absorbed it."), (Assert.Single(errors).Field, errors[0].Message));
    }

    /// <summary>Plans are applied in the order of their dates: one dated before the last applied one is refused.</summary>
    [Fact]
    public void A_plan_dated_before_the_last_one_is_refused()
    {
        var earlier = Plan("2024-rename", new DateOnly(2024, 1, 1), "046,Thừa Thiên Huế,province,046\n", After2025);

        var (units, errors) = After2025.Apply(earlier);

        Assert.Null(units);
        var error = Assert.Single(errors);
        Assert.Equal("effectiveOn", error.Field);
        Assert.StartsWith("Plan 2024-rename takes effect on 2024-01-01, before plan 2025-07-01-resolution-202 (2025-07-01)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Rebuilding from stored plans refuses a plan that cannot be applied, with its errors in the message.</summary>
    [Fact]
    public void Rebuilding_from_a_bad_sequence_throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => ProvinceUnits.After([ReorganisationPlans.Resolution202, ReorganisationPlans.Resolution202]));

        Assert.Contains("Plan 2025-07-01-resolution-202 cannot be applied: Plan 2025-07-01-resolution-202 has been applied already.", exception.Message, StringComparison.Ordinal);
    }

    private static ReorganisationPlan Plan(string id, DateOnly effectiveOn, string lines, ProvinceUnits before)
    {
        using var reader = new StringReader(ReorganisationPlans.Header + "\n" + lines);
        var (plan, errors) = ReorganisationPlans.Parse(id, effectiveOn, reader, before.Current);
        Assert.Empty(errors);
        return plan!;
    }
}
