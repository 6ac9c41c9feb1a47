using System.Text;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Tests.Residents;

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
        Assert.Equal(["idempotencyKey", "fullName", "birthDate", "sex", "birthRegistrationProvince", "actor"], errors.Select(e => e.Field));
    }

    private static readonly Registry.Contracts.Access.Actor Officer = new("officer-1", Registry.Contracts.Access.ActorRole.ProvincialOfficer, "001");

    private static RegisterResident Valid => new("key-1", "Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Sex.Female, "001") { Actor = Officer };

    /// <summary>A registration names who registers.</summary>
    [Fact]
    public void A_registration_needs_its_actor() =>
        Assert.Equal(["actor"], RegistrationRules.Check(Valid with { Actor = null }, Today).Errors.Select(e => e.Field));

    /// <summary>A number issued before the registry must agree with the declared province, sex, century and year.</summary>
    [Theory]
    [InlineData("001190123456", null)]
    [InlineData("079190123456", "not the birth registration province")]
    [InlineData("001090123456", "declared sex is female")]
    [InlineData("001390123456", "declared birth year is 1990")]
    [InlineData("001191123456", "year digits are 91")]
    public void An_issued_number_must_agree_with_the_declared_details(string number, string? reason)
    {
        Assert.True(Registry.Contracts.Identity.PersonalIdNumber.TryParse(number, out var issued, out _));

        var errors = RegistrationRules.Check(Valid with { IssuedNumber = issued }, Today).Errors;

        if (reason is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(reason, Assert.Single(errors, e => e.Field == "issuedNumber").Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// A person of undetermined nationality is registered with an identity certificate issued after six
    /// consecutive months in one commune (Law 26/2023 Art. 30); nobody else carries one.
    /// </summary>
    [Fact]
    public void Undetermined_nationality_needs_a_certificate_after_six_months_in_a_commune()
    {
        var undetermined = Valid with { Nationality = NationalityStatus.UndeterminedVietnameseOrigin };
        var certificate = new IdentityCertificate(new DateOnly(2026, 7, 1), " Xã Tân Thạnh ", new DateOnly(2026, 1, 1));

        Assert.Equal(["identityCertificate"], RegistrationRules.Check(undetermined, Today).Errors.Select(e => e.Field));
        Assert.Equal("Xã Tân Thạnh", RegistrationRules.Check(undetermined with { IdentityCertificate = certificate }, Today).Normalised!.IdentityCertificate!.Commune);
        Assert.Contains("6 consecutive months", RegistrationRules.Check(undetermined with { IdentityCertificate = certificate with { LivingInCommuneSince = new DateOnly(2026, 1, 2) } }, Today).Errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal(["identityCertificate"], RegistrationRules.Check(Valid with { IdentityCertificate = certificate }, Today).Errors.Select(e => e.Field));
    }

    /// <summary>Other names and optional texts are normalised like names; empty or invisible characters are refused.</summary>
    [Fact]
    public void Optional_texts_are_normalised_or_refused()
    {
        var decomposed = "Ánh".Normalize(NormalizationForm.FormD);

        var (normalised, _) = RegistrationRules.Check(Valid with { OtherNames = [decomposed], Hometown = " Hà Nội ", Religion = null }, Today);

        Assert.Equal(["Ánh"], normalised!.OtherNames);
        Assert.Equal(("Hà Nội", (string?)null), (normalised.Hometown, normalised.Religion));
        Assert.Equal(["otherNames", "ethnicity"], RegistrationRules.Check(Valid with { OtherNames = [""], Ethnicity = "Kinh\u0000" }, Today).Errors.Select(e => e.Field));
    }

    /// <summary>Provincial officers register people born in their province; ministries do not register.</summary>
    [Fact]
    public void Officers_register_for_their_own_province()
    {
        Assert.Null(RegistrationRules.CheckRegistrar(Officer, "001"));
        Assert.NotNull(RegistrationRules.CheckRegistrar(Officer, "079"));
        Assert.NotNull(RegistrationRules.CheckRegistrar(new("moh", Registry.Contracts.Access.ActorRole.MinistryPartner, null), "001"));
    }
}
