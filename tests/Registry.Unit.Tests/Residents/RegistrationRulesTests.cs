using System.Text;
using Registry.Contracts.Residents;

namespace Registry.Unit.Tests.Residents;

/// <summary>The checks a registration passes before anything is stored.</summary>
public sealed class RegistrationRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    /// <summary>Names are stored NFC and trimmed, so composed and decomposed input store alike.</summary>
    [Fact]
    public void Names_are_normalised_to_NFC_and_trimmed()
    {
        var decomposed = "  Nguyễn Thị Ánh ".Normalize(NormalizationForm.FormD);

        var (name, error) = RegistrationRules.NormaliseName(decomposed);

        Assert.Null(error);
        Assert.Equal("Nguyễn Thị Ánh", name);
        Assert.True(name!.IsNormalized(NormalizationForm.FormC));
    }

    /// <summary>Empty, blank, overlong names and names with control, invisible or broken characters are refused.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    [InlineData("Nguyễn\u0000Văn")]
    [InlineData("Nguyễn\u0007Văn")]
    [InlineData("Nguyễn\u200BVăn")]
    [InlineData("Nguyễn\u200DVăn")]
    [InlineData("Nguyễn\uFEFFVăn")]
    [InlineData("Nguyễn\u2028Văn")]
    [InlineData("Nguyễn\uFFFDVăn")]
    public void Unusable_names_are_refused(string? name) =>
        Assert.NotNull(RegistrationRules.NormaliseName(name).Error);

    /// <summary>A lone surrogate (text cut in the middle of a character) is refused as broken Unicode.</summary>
    [Fact]
    public void A_lone_surrogate_is_refused() =>
        Assert.Contains("not valid Unicode", RegistrationRules.NormaliseName("Nguyễn\uD800Văn").Error, StringComparison.Ordinal);

    /// <summary>Two hundred characters is the limit.</summary>
    [Fact]
    public void Names_are_at_most_two_hundred_characters()
    {
        Assert.Null(RegistrationRules.NormaliseName(new string('ơ', 200)).Error);
        Assert.Contains("200", RegistrationRules.NormaliseName(new string('ơ', 201)).Error, StringComparison.Ordinal);
    }

    /// <summary>Birth dates run from 1900-01-01 to today.</summary>
    [Theory]
    [InlineData("1900-01-01", true)]
    [InlineData("1899-12-31", false)]
    [InlineData("2026-11-28", true)]
    [InlineData("2026-11-29", false)]
    public void Birth_dates_run_from_1900_to_today(string date, bool accepted) =>
        Assert.Equal(accepted, RegistrationRules.CheckBirthDate(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Today) is null);

    /// <summary>Only the 63 province codes of 2024 are birth registration provinces.</summary>
    [Theory]
    [InlineData("001", true)]
    [InlineData("096", true)]
    [InlineData("003", false)]
    [InlineData("1", false)]
    [InlineData("0010", false)]
    [InlineData(null, false)]
    public void Only_known_province_codes_are_accepted(string? code, bool accepted) =>
        Assert.Equal(accepted, RegistrationRules.CheckBirthRegistrationProvince(code) is null);

    /// <summary>Idempotency keys are 1–100 printable ASCII characters without spaces.</summary>
    [Theory]
    [InlineData("a", true)]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("khóa", false)]
    public void Idempotency_keys_are_printable_ascii(string? key, bool accepted) =>
        Assert.Equal(accepted, RegistrationRules.CheckIdempotencyKey(key) is null);

    /// <summary>A command with several faults names every faulty field at once.</summary>
    [Fact]
    public void Every_faulty_field_is_named_at_once()
    {
        var command = new RegisterResident(new string('k', 101), " ", new DateOnly(1800, 1, 1), (Sex)9, "999");

        var (normalised, errors) = RegistrationRules.Check(command, Today);

        Assert.Null(normalised);
        Assert.Equal(["idempotencyKey", "fullName", "birthDate", "sex", "birthRegistrationProvince"], errors.Select(e => e.Field));
    }
}
