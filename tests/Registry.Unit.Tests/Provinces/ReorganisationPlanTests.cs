using Registry.Contracts.Provinces;

namespace Registry.Unit.Tests.Provinces;

/// <summary>Merger plans read from CSV, checked against the units as they stand, and the units they leave.</summary>
public sealed class ReorganisationPlanTests
{
    private const string Header = "code,name,kind,formed_from\n";

    private static readonly DateOnly EffectiveOn = new(2025, 7, 1);

    /// <summary>Resolution 202: 63 units into 34, 29 absorbed codes, and every code of 2024 resolves to one of the 34.</summary>
    [Fact]
    public void Resolution_202_makes_34_units_and_every_old_code_resolves_to_one()
    {
        var plan = ReorganisationPlan.Resolution202;
        var after = ProvinceUnits.Of2024.Apply(plan).Units!;

        Assert.Equal(34, plan.Mergers.Count);
        Assert.Equal(29, plan.AbsorbedCodes.Count());
        Assert.Equal(34, after.Current.Count);
        Assert.All(ProvinceCatalog.All2024, unit =>
        {
            Assert.True(after.IsCurrent(after.Resolve(unit.Code)!.Code));
            Assert.Equal(unit.MergedInto2025, after.Resolve(unit.Code)!.Code);
        });
        Assert.Equal(("002", "008"), (after.AbsorptionOf("002")!.Code, after.AbsorptionOf("002")!.Into));
        Assert.Equal("Hồ Chí Minh", after.Resolve("077")!.Name);
    }

    /// <summary>The same text parses into the same plan, and a plan written back as CSV parses into itself.</summary>
    [Fact]
    public void Parsing_is_deterministic_and_round_trips()
    {
        var csv = ReorganisationPlan.Resolution202.ToCsv();

        var (first, _) = ReorganisationPlan.Parse("p", EffectiveOn, new StringReader(csv), ProvinceUnits.Of2024.Current);
        var (second, errors) = ReorganisationPlan.Parse("p", EffectiveOn, new StringReader(csv), ProvinceUnits.Of2024.Current);

        Assert.Empty(errors);
        Assert.Equal(first, second);
        Assert.Equal(ReorganisationPlan.Resolution202.Mergers, first!.Mergers);
    }

    /// <summary>Each bad plan is refused with an error naming its field and the code concerned; no plan comes back.</summary>
    [Theory]
    [InlineData("cycle", Header + "008,Tuyên Quang,province,008;002\n002,Hà Giang,province,002;008\n", "formed_from", "cycle")]
    [InlineData("chain", Header + "008,Tuyên Quang,province,008;002\n002,Hà Giang,province,002;010\n", "formed_from", "002")]
    [InlineData("unknown code", Header + "008,Tuyên Quang,province,008;999\n", "formed_from", "999")]
    [InlineData("unknown surviving code", Header + "998,Nowhere,province,998;002\n", "code", "998")]
    [InlineData("merged twice on two lines", Header + "008,Tuyên Quang,province,008;002\n015,Lào Cai,province,015;002\n", "formed_from", "merged twice")]
    [InlineData("merged twice on one line", Header + "008,Tuyên Quang,province,008;002;002\n", "formed_from", "twice")]
    [InlineData("own code missing", Header + "008,Tuyên Quang,province,002\n", "formed_from", "008")]
    [InlineData("bad kind", Header + "008,Tuyên Quang,county,008;002\n", "kind", "county")]
    [InlineData("empty name", Header + "008, ,province,008;002\n", "name", "008")]
    [InlineData("bad header", "code;name;kind;formed_from\n008;Tuyên Quang;province;008\n", "header", "code,name,kind,formed_from")]
    [InlineData("listed twice", Header + "008,Tuyên Quang,province,008;002\n008,Tuyên Quang,province,008\n", "code", "008")]
    public void A_bad_plan_is_refused_naming_the_problem(string kind, string csv, string field, string mentioned)
    {
        var (plan, errors) = ReorganisationPlan.Parse("test-" + kind.Replace(' ', '-'), EffectiveOn, new StringReader(csv), ProvinceUnits.Of2024.Current);

        Assert.Null(plan);
        Assert.Contains(errors, error => error.Field == field && error.Message.Contains(mentioned, StringComparison.Ordinal));
    }

    /// <summary>A code absorbed by an earlier plan is no longer current: a later plan cannot merge it again.</summary>
    [Fact]
    public void A_code_absorbed_earlier_cannot_be_merged_again()
    {
        var first = Parse("first", Header + "008,Tuyên Quang,province,008;002\n");
        var units = ProvinceUnits.Of2024.Apply(first).Units!;

        var (again, errors) = ReorganisationPlan.Parse("second", EffectiveOn, new StringReader(Header + "015,Lào Cai,province,015;002\n"), units.Current);
        var (_, reapplied) = units.Apply(first);

        Assert.Null(again);
        Assert.Contains(errors, error => error.Message.Contains("002", StringComparison.Ordinal));
        Assert.Contains(reapplied, error => error.Field == "id");
        Assert.Equal("008", units.Resolve("002")!.Code);
    }

    private static ReorganisationPlan Parse(string id, string csv)
    {
        var (plan, errors) = ReorganisationPlan.Parse(id, EffectiveOn, new StringReader(csv), ProvinceUnits.Of2024.Current);
        Assert.Empty(errors);
        return plan!;
    }
}
