using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Domain.Provinces;
using Registry.Silo.Storage;

namespace Registry.Unit.Tests.Provinces;

/// <summary>Reorganisation plans: the real one of 1 July 2025, plans read from CSV, and every bad plan refused naming line and code.</summary>
public sealed class ReorganisationPlanTests
{
    private const string Header = "code,name,kind,formed_from\n";
    private static readonly DateOnly EffectiveOn = new(2030, 1, 1);

    /// <summary>Resolution 202/2025/QH15: 34 units (28 provinces, 6 cities) absorbing 29 of the 63, effective 1 July 2025.</summary>
    [Fact]
    public void The_real_plan_turns_63_units_into_34()
    {
        var plan = ReorganisationPlans.Resolution202;

        Assert.Equal(("2025-07-01-resolution-202", new DateOnly(2025, 7, 1)), (plan.Id, plan.EffectiveOn));
        Assert.Equal(34, plan.Mergers.Count);
        Assert.Equal(28, plan.Mergers.Count(merger => merger.Kind == ProvinceKind.Province));
        Assert.Equal(6, plan.Mergers.Count(merger => merger.Kind == ProvinceKind.City));
        Assert.Equal(29, plan.AbsorbedCodes.Distinct().Count());
        Assert.Equal(29, plan.AbsorbedCodes.Count());
        Assert.Equal(ProvinceCatalog.All2024.Select(unit => unit.Code).Order(), plan.Mergers.SelectMany(merger => merger.FormedFrom).Order());
    }

    /// <summary>The plan and the 2024 catalog are two views of one grouping: each old unit merges into the same new unit in both.</summary>
    [Fact]
    public void The_real_plan_agrees_with_the_2024_catalog()
    {
        foreach (var unit in ProvinceCatalog.All2024)
        {
            Assert.Equal(unit.MergedInto2025, ReorganisationPlans.Resolution202.MergerOf(unit.Code)?.SurvivingCode);
        }
    }

    /// <summary>Names keep their diacritics, in NFC; absorbed codes keep the file's order and exclude the surviving code.</summary>
    [Fact]
    public void The_real_plan_keeps_names_and_order()
    {
        var hoChiMinh = ReorganisationPlans.Resolution202.MergerOf("074")!;

        Assert.Equal(new UnitMerger("079", "Hồ Chí Minh", ProvinceKind.City, ["074", "077"]), hoChiMinh);
        Assert.Equal(["025", "026", "017"], ReorganisationPlans.Resolution202.MergerOf("025")!.FormedFrom);
        Assert.Empty(ReorganisationPlans.Resolution202.MergerOf("001")!.AbsorbedCodes);
        Assert.All(ReorganisationPlans.Resolution202.Mergers, merger => Assert.True(merger.Name.IsNormalized(NormalizationForm.FormC)));
    }

    /// <summary>Parsing is deterministic: the same text gives equal plans, and a plan written as CSV reads back as itself.</summary>
    [Fact]
    public void Parsing_is_deterministic_and_round_trips()
    {
        var embedded = EmbeddedPlanText();

        var first = Parse(embedded, ProvinceUnits.Of2024.Current, ReorganisationPlans.Resolution202Id, new DateOnly(2025, 7, 1));
        var second = Parse(embedded, ProvinceUnits.Of2024.Current, ReorganisationPlans.Resolution202Id, new DateOnly(2025, 7, 1));

        Assert.Equal(ReorganisationPlans.Resolution202, first.Plan);
        Assert.Equal(first.Plan, second.Plan);
        Assert.Equal(first.Plan!.GetHashCode(), second.Plan!.GetHashCode());
        Assert.Equal(embedded, ReorganisationPlans.ToCsv(ReorganisationPlans.Resolution202));
    }

    /// <summary>Each bad plan is refused with no plan and an error on the right field naming the line and the code concerned.</summary>
    [Theory]
    // A cycle: 008 absorbs 002 while 002 absorbs 008.
    [InlineData("008,Tuyên Quang,province,008;002\n002,Hà Giang,province,002;008\n", "formed_from",
        "Line 2, unit 008: 002 cannot be absorbed here: line 3 keeps it as a unit, and the plan makes a cycle (008 absorbs 002 here, 002 absorbs 008 on line 3)")]
    // A chain in one plan: 008 absorbs 002, which absorbs 006.
    [InlineData("008,Tuyên Quang,province,008;002\n002,Hà Giang,province,002;006\n", "formed_from",
        "Line 2, unit 008: 002 cannot be absorbed here: line 3 keeps it as a unit.")]
    // Absorbing a unit the plan keeps unchanged is the same mistake.
    [InlineData("008,Tuyên Quang,province,008;002\n002,Hà Giang,province,002\n", "formed_from",
        "Line 2, unit 008: 002 cannot be absorbed here: line 3 keeps it as a unit.")]
    [InlineData("008,Tuyên Quang,province,008;099\n", "formed_from", "Line 2, unit 008: 099 is not a province code in use before this plan.")]
    [InlineData("099,Tỉnh Mới,province,099\n", "code", "Line 2, unit 099: 099 is not a province code in use before this plan.")]
    [InlineData("008,Tuyên Quang,province,008;002\n019,Thái Nguyên,province,019;006;002\n", "formed_from",
        "Line 3, unit 019: 002 is merged twice: line 2 already merges it into 008.")]
    [InlineData("008,Tuyên Quang,province,008;002;002\n", "formed_from", "Line 2, unit 008: 002 appears twice in formed_from")]
    [InlineData("008,Tuyên Quang,province,008;008\n", "formed_from", "Line 2, unit 008: 008 appears twice in formed_from")]
    [InlineData("008,Tuyên Quang,province,002\n", "formed_from", "Line 2, unit 008: formed_from must include 008 itself")]
    [InlineData("008,Tuyên Quang,province,008\n008,Tuyên Quang,province,008;002\n", "code", "Line 3, unit 008: the unit is already listed on line 2")]
    [InlineData("008,Tuyên Quang,province,008;002\n\n019,Thái Nguyên,province,019;006\n", "line", "Line 3 is empty")]
    [InlineData("008,Tuyên Quang,province,008;002\n   \n", "line", "Line 3 is empty")]
    [InlineData("008,Tuyên Quang,008;002\n", "line", "Line 2, unit 008: the line has 3 fields instead of 4")]
    [InlineData("008,\"Tuyên Quang, tỉnh\",province,008;002\n", "line", "Line 2, unit 008: the line has 5 fields instead of 4")]
    [InlineData("008,\"Tuyên Quang\",province,008;002\n", "name", "Line 2, unit 008: the name holds a comma or a quotation mark")]
    [InlineData("008,  ,province,008;002\n", "name", "Line 2, unit 008: the name must not be empty")]
    [InlineData("008,Tuyên\u200BQuang,province,008;002\n", "name", "Line 2, unit 008: the name contains the control or invisible character U+200B")]
    [InlineData("008,Tuyên Quang,town,008;002\n", "kind", "Line 2, unit 008: the kind must be province or city, not 'town'.")]
    [InlineData("008,Tuyên Quang,Province,008;002\n", "kind", "Line 2, unit 008: the kind must be province or city, not 'Province'.")]
    [InlineData("8,Tuyên Quang,province,8\n", "code", "Line 2: the code '8' is not three digits.")]
    [InlineData(" 008,Tuyên Quang,province,008\n", "code", "Line 2: the code ' 008' is not three digits.")]
    [InlineData("008,Tuyên Quang,province,008;2\n", "formed_from", "Line 2, unit 008: '2' in formed_from is not a three-digit code.")]
    [InlineData("008,Tuyên Quang,province,008;;002\n", "formed_from", "Line 2, unit 008: '' in formed_from is not a three-digit code.")]
    [InlineData("008,Tuyên Quang,province,\n", "formed_from", "Line 2, unit 008: formed_from is empty")]
    public void A_bad_plan_is_refused_naming_line_and_code(string lines, string field, string message)
    {
        var (plan, errors) = Parse(Header + lines);

        Assert.Null(plan);
        Assert.Contains(errors, error => error.Field == field && error.Message.StartsWith(message, StringComparison.Ordinal));
    }

    /// <summary>A cycle through three units is named with every step.</summary>
    [Fact]
    public void A_cycle_through_three_units_is_spelt_out()
    {
        var (plan, errors) = Parse(Header + "008,Tuyên Quang,province,008;002\n002,Hà Giang,province,002;006\n006,Bắc Kạn,province,006;008\n");

        Assert.Null(plan);
        Assert.Equal(3, errors.Length);
        Assert.Contains(errors, error => error.Message.StartsWith(
            "Line 2, unit 008: 002 cannot be absorbed here: line 3 keeps it as a unit, and the plan makes a cycle "
            + "(008 absorbs 002 here, 002 absorbs 006 on line 3, 006 absorbs 008 on line 4).", StringComparison.Ordinal));
    }

    /// <summary>A wrong or missing header is refused before any line is read.</summary>
    [Theory]
    [InlineData("", "The plan is empty")]
    [InlineData("code,name,formed_from\n008,Tuyên Quang,008;002\n", "The header must be code,name,kind,formed_from, not 'code,name,formed_from'.")]
    [InlineData("Code,Name,Kind,Formed_From\n008,Tuyên Quang,province,008;002\n", "The header must be")]
    public void A_bad_header_is_refused(string csv, string message)
    {
        var (plan, errors) = Parse(csv);

        Assert.Null(plan);
        var error = Assert.Single(errors);
        Assert.Equal("header", error.Field);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A header alone is no plan.</summary>
    [Fact]
    public void A_plan_without_units_is_refused()
    {
        var (plan, errors) = Parse(Header);

        Assert.Null(plan);
        Assert.Equal("line", Assert.Single(errors).Field);
    }

    /// <summary>The id becomes a grain key: 1 to 100 printable ASCII characters without spaces.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("plan of 2030")]
    [InlineData("kế-hoạch")]
    public void A_bad_id_is_refused(string id)
    {
        var (plan, errors) = Parse(Header + "008,Tuyên Quang,province,008;002\n", ProvinceUnits.Of2024.Current, id);

        Assert.Null(plan);
        Assert.Equal("id", Assert.Single(errors).Field);
    }

    /// <summary>A code absorbed by an earlier plan is no longer a unit: a later plan cannot name it.</summary>
    [Fact]
    public void A_code_absorbed_by_an_earlier_plan_is_refused()
    {
        var after2025 = ProvinceUnits.After([ReorganisationPlans.Resolution202]);

        var (plan, errors) = Parse(Header + "008,Tuyên Quang,province,008;002\n", after2025.Current);

        Assert.Null(plan);
        var error = Assert.Single(errors);
        Assert.Equal(("formed_from", "Line 2, unit 008: 002 is no longer in use: an earlier reorganisation absorbed it."), (error.Field, error.Message));
    }

    /// <summary>Every error of a plan is reported at once, so that the file can be fixed in one go.</summary>
    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var (plan, errors) = Parse(Header + "008,,town,008;099\n019,Thái Nguyên,province,019;006\n019,Thái Nguyên,province,019\n");

        Assert.Null(plan);
        Assert.Equal(["name", "kind", "code", "formed_from"], errors.Select(error => error.Field));
    }

    /// <summary>
    /// A current unit the plan does not name stays as it is; a line with its own code alone renames it. Names are
    /// stored NFC and trimmed; CRLF line ends and a byte order mark are accepted.
    /// </summary>
    [Fact]
    public void A_partial_plan_with_decomposed_names_and_CRLF_is_read()
    {
        var csv = "\uFEFF" + Header.Replace("\n", "\r\n", StringComparison.Ordinal)
            + " Tuyên Quang ".Normalize(NormalizationForm.FormD).Insert(0, "008,") + ",province,008;002\r\n"
            + "046,Huế,city,046\r\n";

        var (plan, errors) = Parse(csv);

        Assert.Empty(errors);
        Assert.Equal(
            [new UnitMerger("008", "Tuyên Quang", ProvinceKind.Province, ["002"]), new UnitMerger("046", "Huế", ProvinceKind.City, [])],
            plan!.Mergers);
        Assert.Equal(("test-plan", EffectiveOn), (plan.Id, plan.EffectiveOn));
    }

    /// <summary>A plan built in code passes the same checks, its line numbers those of its CSV.</summary>
    [Fact]
    public void A_plan_built_in_code_is_checked_like_a_parsed_one()
    {
        var plan = new ReorganisationPlan("built", EffectiveOn,
        [
            new UnitMerger("008", "Tuyên Quang", ProvinceKind.Province, ["008", "002"]),
            new UnitMerger("019", "Thái Nguyên".Normalize(NormalizationForm.FormD), ProvinceKind.Province, ["006"]),
            new UnitMerger("020", "Lạng Sơn", (ProvinceKind)7, []),
        ]);

        var errors = ReorganisationPlans.Check(plan, ProvinceUnits.Of2024.Current);

        Assert.Equal(
        [
            ("name", "Line 3, unit 019: the name must be trimmed and in NFC."),
            ("kind", "Line 4, unit 020: the kind 7 is neither province nor city."),
            ("formed_from", "Line 2, unit 008: 008 appears twice in formed_from; a unit is merged once."),
        ], errors.Select(error => (error.Field, error.Message)));
        Assert.Empty(ReorganisationPlans.Check(ReorganisationPlans.Resolution202, ProvinceUnits.Of2024.Current));
    }

    /// <summary>A plan crosses grains and is stored: it survives the Orleans serializer and the grain-state JSON unchanged.</summary>
    [Fact]
    public void A_plan_round_trips_through_Orleans_and_stored_JSON()
    {
        var plan = ReorganisationPlans.Resolution202;
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var storage = new JsonGrainStateSerializer();

        var overTheWire = serializer.Deserialize<ReorganisationPlan>(serializer.SerializeToArray(plan));
        var stored = storage.Serialize(plan);
        var fromStorage = storage.Deserialize<ReorganisationPlan>(stored);

        Assert.Equal(plan, overTheWire);
        Assert.Equal(plan, fromStorage);
        var json = stored.ToString();
        Assert.Contains("\"kind\":\"city\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("formedFrom", json, StringComparison.Ordinal);
    }

    private static (ReorganisationPlan? Plan, FieldError[] Errors) Parse(
        string csv, IReadOnlySet<string>? currentCodes = null, string id = "test-plan", DateOnly? effectiveOn = null)
    {
        using var reader = new StringReader(csv);
        return ReorganisationPlans.Parse(id, effectiveOn ?? EffectiveOn, reader, currentCodes ?? ProvinceUnits.Of2024.Current);
    }

    private static string EmbeddedPlanText()
    {
        using var stream = typeof(ReorganisationPlans).Assembly.GetManifestResourceStream("Registry.Domain.Provinces.provinces-2025.csv")!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
