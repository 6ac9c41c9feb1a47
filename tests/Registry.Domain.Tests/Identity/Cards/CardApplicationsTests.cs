using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Identity.Cards;

namespace Registry.Domain.Tests.Identity.Cards;

/// <summary>
/// Who may apply for a card and for which reason (Law 26/2023 Art. 18–24): one open application, none for the dead, below
/// 14 only through a mother, father or guardian of the record, a reason that fits the person's current card; and the
/// issue date between the birth and today.
/// </summary>
public sealed class CardApplicationsTests
{
    private static readonly DateOnly Today = new(2026, 3, 1);
    private static readonly Actor Officer = new("officer-079", ActorRole.ProvincialOfficer, "079");
    private static readonly PersonalIdNumber Mother = PersonalIdNumber.Create(IdNumberPrefix.For("079", Sex.Female, new DateOnly(1985, 1, 1)), 7);

    /// <summary>Adult: any first card; a child of 13: through the mother only; a child of exactly 14 applies alone.</summary>
    [Theory]
    [InlineData("1990-05-17", null, null)]
    [InlineData("2013-03-01", null, "parentOrGuardian")]
    [InlineData("2013-03-01", "mother", null)]
    [InlineData("2013-03-01", "stranger", "parentOrGuardian")]
    [InlineData("2012-03-01", null, null)]
    [InlineData("2012-03-01", "mother", "parentOrGuardian")]
    [InlineData("2012-03-02", null, "parentOrGuardian")]
    public void Below_14_the_application_is_a_parents_or_guardians(string birth, string? applicant, string? refusedField)
    {
        var person = Person(birth) with { Family = FamilyLinks.None with { Mother = Mother } };
        var by = applicant switch
        {
            "mother" => Mother,
            "stranger" => PersonalIdNumber.Create(IdNumberPrefix.For("079", Sex.Male, new DateOnly(1980, 1, 1)), 9),
            _ => (PersonalIdNumber?)null,
        };

        var refusal = CardApplications.RefusalFor(new ApplyForCard("k", Officer, CardReason.FirstCard, by), person, PersonCards.None, Today);

        Assert.Equal(refusedField, refusal?.Errors.Single().Field);
    }

    /// <summary>The reason must fit the current card; every refusal names the field and says why.</summary>
    [Theory]
    [InlineData(CardReason.FirstCard, null, null)]
    [InlineData(CardReason.FirstCard, CardState.Issued, "reason")]
    [InlineData(CardReason.Lost, null, "reason")]
    [InlineData(CardReason.Lost, CardState.Issued, "reason")]
    [InlineData(CardReason.Lost, CardState.ReportedLost, null)]
    [InlineData(CardReason.AgeMilestone, CardState.Issued, null)]
    [InlineData(CardReason.Damaged, CardState.Issued, null)]
    [InlineData(CardReason.Damaged, CardState.ReportedLost, "reason")]
    [InlineData(CardReason.ChangeOfData, CardState.Issued, null)]
    [InlineData(CardReason.AdministrativeReorganisation, CardState.Issued, null)]
    public void The_reason_fits_the_current_card(CardReason reason, CardState? current, string? refusedField)
    {
        var cards = current is { } state ? new PersonCards { Current = CardLifecycleTests.Card(state, new DateOnly(2030, 5, 17)) } : PersonCards.None;

        var refusal = CardApplications.RefusalFor(new ApplyForCard("k", Officer, reason, null), Person("1990-05-17"), cards, Today);

        Assert.Equal(refusedField, refusal?.Errors.Single().Field);
    }

    /// <summary>A card for life needs no renewal for age.</summary>
    [Fact]
    public void A_card_for_life_is_not_renewed_for_age()
    {
        var cards = new PersonCards { Current = CardLifecycleTests.Card(CardState.Issued, expiresOn: null) };
        Assert.Equal(RefusalKind.Conflict, CardApplications.RefusalFor(new ApplyForCard("k", Officer, CardReason.AgeMilestone, null), Person("1950-01-01"), cards, Today)?.Kind);
    }

    /// <summary>A second application while one is open, one for a dead person, and one by another province's officer are refused.</summary>
    [Fact]
    public void Open_applications_deaths_and_other_provinces_are_refused()
    {
        var open = new PersonCards { OpenApplication = CardLifecycleTests.Card(CardState.Applied) };
        var apply = new ApplyForCard("k", Officer, CardReason.FirstCard, null);

        var second = CardApplications.RefusalFor(apply, Person("1990-05-17"), open, Today);
        var dead = CardApplications.RefusalFor(apply, Person("1990-05-17") with { Death = new DeathRecord(Today, "Huế", "GCT-1") }, PersonCards.None, Today);
        var outside = CardApplications.RefusalFor(apply with { Actor = new Actor("officer-001", ActorRole.ProvincialOfficer, "001") }, Person("1990-05-17"), PersonCards.None, Today);

        Assert.Equal((RefusalKind.Conflict, "reason"), (second!.Kind, second.Errors[0].Field));
        Assert.Contains("still applied", second.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal((RefusalKind.Conflict, "personalIdNumber"), (dead!.Kind, dead.Errors[0].Field));
        Assert.Equal((RefusalKind.Forbidden, "actor"), (outside!.Kind, outside.Errors[0].Field));
    }

    /// <summary>An issue date before the birth or after today (Vietnam) is refused; the birth day and today are accepted.</summary>
    [Theory]
    [InlineData("1990-05-16", true)]
    [InlineData("1990-05-17", false)]
    [InlineData("2026-03-01", false)]
    [InlineData("2026-03-02", true)]
    public void The_issue_date_lies_between_the_birth_and_today(string issuedOn, bool refused) =>
        Assert.Equal(refused, CardApplications.IssueDateError(DateOnly.Parse(issuedOn, System.Globalization.CultureInfo.InvariantCulture), new DateOnly(1990, 5, 17), Today) is not null);

    /// <summary>Document numbers: a series letter, the province's two digits, six serial digits; I and O are no series.</summary>
    [Theory]
    [InlineData(0, "079", 123, "A79000123")]
    [InlineData(7, "001", 999_999, "H01999999")]
    [InlineData(8, "096", 0, "J96000000")]
    public void Document_numbers_are_series_province_and_serial(int series, string province, int serial, string expected)
    {
        var number = DocumentNumber.Create(series, province, serial);
        Assert.Equal(expected, number.Value);
        Assert.True(DocumentNumber.TryParse(expected, out var parsed, out _));
        Assert.Equal(number, parsed);
    }

    /// <summary>Malformed document numbers are refused with a reason.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("A7912345")]
    [InlineData("I79123456")]
    [InlineData("a79123456")]
    [InlineData("A7912345X")]
    public void Malformed_document_numbers_are_refused(string text)
    {
        Assert.False(DocumentNumber.TryParse(text, out _, out var error));
        Assert.NotNull(error);
    }

    private static ResidentRecord Person(string birth)
    {
        var birthDate = DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture);
        return new(PersonalIdNumber.Create(IdNumberPrefix.For("079", Sex.Female, birthDate), 42), "Nguyễn Thị Ánh", birthDate, Sex.Female, "079", "079",
            new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }
}
