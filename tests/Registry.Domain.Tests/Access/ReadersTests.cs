using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Access;

namespace Registry.Domain.Tests.Access;

/// <summary>
/// Who reads whom: an officer the people living, staying or born in their province, an administrator everyone, a citizen
/// themselves, a partner and an operator nobody; and who may use each kind of resource at all.
/// </summary>
public sealed class ReadersTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly Actor Administrator = new("admin-1", ActorRole.CentralAdministrator, null);
    private static readonly Actor Partner = new("ministry-of-health", ActorRole.MinistryPartner, null);
    private static readonly Actor Operator = new("operator-1", ActorRole.Operator, null);

    // Born in Hà Nội (001), living in Huế (046), staying in Đà Nẵng (048) until the end of next year.
    private static readonly ResidentRecord Person = new(
        PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Female, new DateOnly(1990, 5, 17)), 123_456),
        "Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Sex.Female, "001", "046", DateTimeOffset.UnixEpoch)
    {
        TemporaryResidence = new TemporaryResidence(new ResidenceAddress("048", "20194", "5 Bạch Đằng"), new DateOnly(2026, 1, 1), new DateOnly(2027, 12, 31)),
        PreviousNumbers = [PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Female, new DateOnly(1991, 5, 17)), 654_321)],
    };

    private static readonly PersonFacts Facts = PersonFacts.Of(Person, Today);

    private static Actor Officer(string province) => new($"officer-{province}", ActorRole.ProvincialOfficer, province);

    /// <summary>An officer reads a person through each of the three ties to their province, and not without one.</summary>
    [Theory]
    [InlineData("046", true)] // permanent residence
    [InlineData("048", true)] // temporary residence in force
    [InlineData("001", true)] // birth registered there (the number's first three digits)
    [InlineData("079", false)]
    public void An_officer_reads_the_people_of_their_province_only(string province, bool reads) =>
        Assert.Equal(reads, Readers.RefusalFor(Officer(province), Facts) is null);

    /// <summary>A temporary residence ties the person to its province only from its first to its last day.</summary>
    [Theory]
    [InlineData("2025-12-31", false)]
    [InlineData("2026-01-01", true)]
    [InlineData("2027-12-31", true)]
    [InlineData("2028-01-01", false)]
    public void A_temporary_residence_counts_while_it_is_in_force(string day, bool reads) =>
        Assert.Equal(reads, Readers.RefusalFor(Officer("048"), PersonFacts.Of(Person, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture))) is null);

    /// <summary>The refusal of an officer says what ties a person to a province, and nothing about where this one lives.</summary>
    [Fact]
    public void An_officers_refusal_names_their_province_and_not_the_persons() =>
        Assert.Equal(
            "An officer of province 079 reads only people whose permanent or temporary residence is in that province or whose birth was " +
            "registered there; this person is not one of them.",
            Readers.RefusalFor(Officer("079"), Facts));

    /// <summary>A citizen reads the record under their number, also under a number a correction replaced, and nobody else's.</summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void A_citizen_reads_their_own_record_only(int whose, bool reads)
    {
        var subject = whose switch
        {
            0 => Person.PersonalIdNumber.Value,
            1 => Person.PreviousNumbers[0].Value,
            _ => "001190999999",
        };

        Assert.Equal(reads, Readers.RefusalFor(new Actor(subject, ActorRole.Citizen, null), Facts) is null);
    }

    /// <summary>
    /// Whether a number nobody holds is held is told only to whoever could read its holder from the number alone: the
    /// citizen it would name, an officer of its birth province, an administrator.
    /// </summary>
    [Fact]
    public void A_number_nobody_holds_is_told_of_by_its_birth_province_and_its_own_citizen()
    {
        var unheld = PersonFacts.OfNumberAlone(Person.PersonalIdNumber);

        Assert.Null(Readers.RefusalFor(Officer("001"), unheld));
        Assert.Null(Readers.RefusalFor(Administrator, unheld));
        Assert.Null(Readers.RefusalFor(new Actor(Person.PersonalIdNumber.Value, ActorRole.Citizen, null), unheld));
        Assert.NotNull(Readers.RefusalFor(Officer("046"), unheld));
        Assert.NotNull(Readers.RefusalFor(new Actor("001190999999", ActorRole.Citizen, null), unheld));
    }

    /// <summary>An administrator reads everyone; a partner, an operator and an officer without a province nobody.</summary>
    [Fact]
    public void Administrators_read_everyone_and_partners_and_operators_nobody()
    {
        Assert.Null(Readers.RefusalFor(Administrator, Facts));
        Assert.Contains("ministry partner", Readers.RefusalFor(Partner, Facts), StringComparison.Ordinal);
        Assert.Contains("operator", Readers.RefusalFor(Operator, Facts), StringComparison.Ordinal);
        Assert.NotNull(Readers.RefusalFor(Officer("001") with { ProvinceCode = null }, Facts));
    }

    /// <summary>The role × resource table of the README: who may use each kind of resource at all (O: allowed, -: refused).</summary>
    [Theory]
    //                     record history numbers search batchRows events provinceDetail
    [InlineData(ActorRole.CentralAdministrator, "OOOOOOO")]
    [InlineData(ActorRole.ProvincialOfficer, "OOOOOOO")]
    [InlineData(ActorRole.Citizen, "OOO----")]
    [InlineData(ActorRole.MinistryPartner, "-----O-")] // its policy's event kinds, decided next by PartnerPolicies
    [InlineData(ActorRole.Operator, "-------")]
    public void Each_role_uses_the_kinds_of_resource_of_the_table(ActorRole role, string allowed)
    {
        var actor = new Actor("someone", role, role == ActorRole.ProvincialOfficer ? "001" : null);
        var kinds = Enum.GetValues<PersonalDataKind>();
        Assert.Equal(kinds.Length, allowed.Length);
        Assert.All(kinds, kind => Assert.True(
            (allowed[(int)kind] == 'O') == (Readers.RefusalFor(actor, kind) is null),
            $"{role} on {kind}: {Readers.RefusalFor(actor, kind) ?? "allowed"}"));
    }

    /// <summary>Batch rows and a province's detail: officers of that province and administrators.</summary>
    [Theory]
    [InlineData(PersonalDataKind.BatchRows)]
    [InlineData(PersonalDataKind.ProvinceDetail)]
    public void Province_resources_are_read_by_its_officers_and_administrators(PersonalDataKind kind)
    {
        Assert.Null(Readers.RefusalFor(Officer("001"), kind, "001"));
        Assert.Null(Readers.RefusalFor(Administrator, kind, "001"));
        Assert.EndsWith("of that province only; this is 079.", Readers.RefusalFor(Officer("001"), kind, "079"), StringComparison.Ordinal);
        Assert.NotNull(Readers.RefusalFor(new Actor(Person.PersonalIdNumber.Value, ActorRole.Citizen, null), kind, "001"));
        Assert.NotNull(Readers.RefusalFor(Partner, kind, "001"));
        Assert.NotNull(Readers.RefusalFor(Operator, kind, "001"));
    }

    /// <summary>Searches and feeds: an officer's are limited to their province, an administrator's to nobody.</summary>
    [Fact]
    public void Searches_are_limited_to_an_officers_province()
    {
        Assert.Equal("001", Readers.LimitedTo(Officer("001")));
        Assert.Null(Readers.LimitedTo(Administrator));
        Assert.Throws<ArgumentException>(() => Readers.LimitedTo(Partner));
    }

    /// <summary>Officials and partners state a purpose; a citizen reading their own data does not.</summary>
    [Theory]
    [InlineData(ActorRole.CentralAdministrator, true)]
    [InlineData(ActorRole.ProvincialOfficer, true)]
    [InlineData(ActorRole.MinistryPartner, true)]
    [InlineData(ActorRole.Citizen, false)]
    public void Everyone_but_the_citizen_states_a_purpose(ActorRole role, bool states) =>
        Assert.Equal(states, Readers.StatesPurpose(new Actor("someone", role, null)));
}
