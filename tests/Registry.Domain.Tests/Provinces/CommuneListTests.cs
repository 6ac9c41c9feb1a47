using Registry.Contracts;
using Registry.Domain.Provinces;

namespace Registry.Domain.Tests.Provinces;

/// <summary>Reading a national commune list, every refusal naming line and column, and which stored list is in force.</summary>
public sealed class CommuneListTests
{
    private const string Header2024 = "province_code,district_code,district_name,commune_code,commune_name\n";
    private const string Header2025 = "province_code,commune_code,commune_name\n";
    private static readonly string Resolution202 = ReorganisationPlans.Resolution202Id;

    /// <summary>The header with districts makes a list of the 2024 units; names are stored NFC and trimmed.</summary>
    [Fact]
    public void A_list_with_districts_is_for_the_2024_units()
    {
        var (list, errors) = Parse(Header2024 + "001,001,Quận Ba Đình,00001,Phường Phúc Xá\n079,760,Quận 1,26734, Phường Tân Định \n");

        Assert.Empty(errors);
        Assert.Equal(CommuneList.Units2024, list!.Units);
        Assert.Equal(
            [new ListedCommune("001", "00001", "Phường Phúc Xá", "001", "Quận Ba Đình"), new ListedCommune("079", "26734", "Phường Tân Định", "760", "Quận 1")],
            list.Communes);
    }

    /// <summary>The header without districts makes a list of the units after Resolution 202; a byte order mark and CRLF are fine.</summary>
    [Fact]
    public void A_list_without_districts_is_for_the_2025_units()
    {
        var (list, errors) = Parse("\uFEFF" + Header2025.Replace("\n", "\r\n", StringComparison.Ordinal) + "008,00691,Phường Hà Giang 2\r\n");

        Assert.Empty(errors);
        Assert.Equal(Resolution202, list!.Units);
        Assert.Equal([new ListedCommune("008", "00691", "Phường Hà Giang 2", null, null)], list.Communes);
    }

    /// <summary>Each bad file is refused whole, the error naming the column and the line.</summary>
    [Theory]
    [InlineData("", "header", "empty")]
    [InlineData("code,name\n001,Hà Nội\n", "header", "Line 1")]
    [InlineData(Header2024, "line", "no communes")]
    [InlineData(Header2024 + "001,001,Quận Ba Đình,00001,Phường Phúc Xá\n\n", "line", "Line 3 is empty")]
    [InlineData(Header2024 + "001,001,Quận Ba Đình,00001\n", "line", "Line 2 has 4 fields")]
    [InlineData(Header2024 + "1,001,Quận Ba Đình,00001,Phường Phúc Xá\n", "province_code", "Line 2")]
    [InlineData(Header2024 + "999,001,Quận Ba Đình,00001,Phường Phúc Xá\n", "province_code", "999 is not one of the 63 units")]
    [InlineData(Header2025 + "002,00688,Phường Quang Trung\n", "province_code", "002 is not one of the 34 units")]
    [InlineData(Header2024 + "001,01,Quận Ba Đình,00001,Phường Phúc Xá\n", "district_code", "Line 2")]
    [InlineData(Header2024 + "001,001, ,00001,Phường Phúc Xá\n", "district_name", "Line 2")]
    [InlineData(Header2024 + "001,001,Quận Ba Đình,0001,Phường Phúc Xá\n", "commune_code", "Line 2")]
    [InlineData(Header2024 + "001,001,Quận Ba Đình,00001,Phường Phúc Xá\n001,001,Quận Ba Đình,00004,\n", "commune_name", "Line 3")]
    [InlineData(Header2024 + "001,001,Quận Ba Đình,00001,Phường Phúc Xá\n079,760,Quận 1,00001,Phường Tân Định\n", "commune_code", "Line 3: commune 00001 is on line 2")]
    public void A_bad_list_is_refused_naming_line_and_column(string csv, string column, string message)
    {
        var (list, errors) = Parse(csv);

        Assert.Null(list);
        Assert.Contains(errors, error => error.Field == column && error.Message.Contains(message, StringComparison.Ordinal));
    }

    /// <summary>A file wrong on every line reports the first errors and how many more, not thousands.</summary>
    [Fact]
    public void A_list_wrong_everywhere_reports_the_first_errors()
    {
        var (_, errors) = Parse(Header2024 + string.Concat(Enumerable.Repeat("x\n", 100)));

        Assert.Equal(CommuneList.MaxErrors + 1, errors.Length);
        Assert.Contains("80 more error(s)", errors[^1].Message, StringComparison.Ordinal);
    }

    /// <summary>The digest is the same for the same list, and differs when a row does.</summary>
    [Fact]
    public void The_digest_changes_with_the_content_only()
    {
        const string Row = "001,001,Quận Ba Đình,00001,Phường Phúc Xá\n";

        Assert.Equal(Parse(Header2024 + Row).List!.Digest, Parse(Header2024 + Row).List!.Digest);
        Assert.NotEqual(Parse(Header2024 + Row).List!.Digest, Parse(Header2024 + Row.Replace("Phúc Xá", "Phúc Tân", StringComparison.Ordinal)).List!.Digest);
    }

    /// <summary>Nothing stored: no list is in force, and the province grains' own communes stay the reference.</summary>
    [Fact]
    public void No_list_is_in_force_until_one_is_stored() =>
        Assert.Null(CommuneList.InForce([], [ReorganisationPlans.Resolution202], new DateOnly(2025, 7, 1)));

    /// <summary>A list of the 2025 units is held while the 2024 units are current: before the plan, or before its date.</summary>
    [Fact]
    public void A_list_for_the_2025_units_is_held_until_the_plan_takes_effect()
    {
        Assert.Null(CommuneList.InForce([Resolution202], [], new DateOnly(2026, 1, 1)));
        Assert.Null(CommuneList.InForce([Resolution202], [ReorganisationPlans.Resolution202], new DateOnly(2025, 6, 30)));
        Assert.Equal(CommuneList.Units2024, CommuneList.InForce([CommuneList.Units2024, Resolution202], [ReorganisationPlans.Resolution202], new DateOnly(2025, 6, 30)));
    }

    /// <summary>From the plan's date, the list of the 2025 units is in force, whatever id the operator gave the plan.</summary>
    [Fact]
    public void The_list_for_the_2025_units_is_in_force_from_the_plan_date()
    {
        var underAnotherId = ReorganisationPlans.Resolution202 with { Id = "merger-of-2025" };

        Assert.Equal(Resolution202, CommuneList.InForce([CommuneList.Units2024, Resolution202], [ReorganisationPlans.Resolution202], new DateOnly(2025, 7, 1)));
        Assert.Equal(Resolution202, CommuneList.InForce([CommuneList.Units2024, Resolution202], [underAnotherId], new DateOnly(2025, 7, 1)));
    }

    /// <summary>With no list for the current units, the latest list before them stays in force.</summary>
    [Fact]
    public void Without_a_list_for_the_current_units_the_one_before_stays_in_force() =>
        Assert.Equal(CommuneList.Units2024, CommuneList.InForce([CommuneList.Units2024], [ReorganisationPlans.Resolution202], new DateOnly(2025, 7, 1)));

    private static (CommuneList? List, FieldError[] Errors) Parse(string csv) => CommuneList.Parse(new StringReader(csv));
}
