using System.Text;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Tests.Residents;

/// <summary>Decisions on amendments and deaths, without a cluster: refusals say why, acceptances keep history.</summary>
public sealed class AmendmentsTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);
    private static readonly Actor Admin = new("admin-1", ActorRole.CentralAdministrator, null);
    private static readonly Actor Officer = new("officer-1", ActorRole.ProvincialOfficer, "001");

    private static readonly ResidentRecord Anh = new(
        PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Female, new DateOnly(1990, 5, 17)), 123_456),
        "Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Sex.Female, "001", "001", Now.AddYears(-1))
    {
        PermanentAddress = "12 Hàng Bạc, Hoàn Kiếm",
    };

    private static readonly ResidentRecord DeadAnh = Anh with { Death = new DeathRecord(new DateOnly(2026, 1, 2), "Bệnh viện Bạch Mai", "KT-01/2026") };

    private static readonly Actor SecondAdmin = new("admin-2", ActorRole.CentralAdministrator, null);

    // Approved by a second central administrator, who may approve every change: these tests are about the change itself.
    private static AmendResident Amend(Actor actor, params FieldChange[] changes) =>
        new("amend-1", actor, "Sai chính tả khi đăng ký", "QĐ-123/2026", changes) { Approval = new Approval("proposal-1", SecondAdmin) };

    /// <summary>A correction is applied with one history entry per field: who, when, field, old, new, why, document.</summary>
    [Fact]
    public void A_correction_keeps_who_when_what_and_why()
    {
        var decision = Amendments.Decide(Amend(Officer, new FieldChange("fullName", "Nguyễn Thị Ảnh"), new FieldChange("ethnicity", "Kinh")), Anh, Today, Now);

        var accepted = Assert.IsType<Acceptance>(decision);
        Assert.Equal("Nguyễn Thị Ảnh", accepted.Updated.FullName);
        Assert.Equal("Kinh", accepted.Updated.Ethnicity);
        Assert.False(accepted.NeedsNewNumber);
        Assert.Equal(
            [
                new ResidentChange("amend-1", ResidentChangeKind.Amendment, Now, Officer, "fullName", "Nguyễn Thị Ánh", "Nguyễn Thị Ảnh", "Sai chính tả khi đăng ký", "QĐ-123/2026")
                {
                    ApprovedBy = SecondAdmin,
                },
                new ResidentChange("amend-1", ResidentChangeKind.Amendment, Now, Officer, "ethnicity", null, "Kinh", "Sai chính tả khi đăng ký", "QĐ-123/2026")
                {
                    ApprovedBy = SecondAdmin,
                },
            ],
            accepted.Entries);
    }

    /// <summary>A decomposed name in an amendment is stored composed, as at registration.</summary>
    [Fact]
    public void An_amended_name_is_normalised_not_refused()
    {
        var decision = Amendments.Decide(Amend(Officer, new FieldChange("fullName", " Nguyễn Thị Ảnh ".Normalize(NormalizationForm.FormD))), Anh, Today, Now);

        Assert.Equal("Nguyễn Thị Ảnh", Assert.IsType<Acceptance>(decision).Updated.FullName);
    }

    /// <summary>An amendment without a reason or without its document is refused naming the field.</summary>
    [Theory]
    [InlineData(null, "QĐ-1", "reason")]
    [InlineData("  ", "QĐ-1", "reason")]
    [InlineData("Sai", null, "documentReference")]
    [InlineData("Sai", "", "documentReference")]
    public void An_amendment_needs_a_reason_and_a_document(string? reason, string? document, string field)
    {
        var command = Amend(Officer, new FieldChange("ethnicity", "Kinh")) with { Reason = reason!, DocumentReference = document! };

        var refusal = Assert.IsType<Refused>(Amendments.Decide(command, Anh, Today, Now)).Refusal;

        Assert.Equal(RefusalKind.Invalid, refusal.Kind);
        Assert.Equal([field], refusal.Errors.Select(error => error.Field));
    }

    /// <summary>No changes, an unknown field, a field twice, and values that do not parse are refused.</summary>
    [Theory]
    [InlineData("birthRegistrationProvince", "079", "birthRegistrationProvince")]
    [InlineData("sex", "other", "sex")]
    [InlineData("birthDate", "17/05/1990", "birthDate")]
    [InlineData("birthDate", "2027-01-01", "birthDate")]
    [InlineData("mother", "00109012345", "mother")]
    [InlineData("mother", "001190123456", "mother")]
    [InlineData("fullName", "Nguyễn\u200BThị", "fullName")]
    [InlineData("fullName", "   ", "fullName")]
    [InlineData("fullName", null, "fullName")]
    [InlineData("nationality", "martian", "nationality")]
    [InlineData("fullName", "Nguyễn Thị Ánh", "fullName")]
    public void Unacceptable_values_are_refused_naming_the_field(string field, string? value, string refused)
    {
        var refusal = Assert.IsType<Refused>(Amendments.Decide(Amend(Admin, new FieldChange(field, value)), Anh, Today, Now)).Refusal;

        Assert.Equal(RefusalKind.Invalid, refusal.Kind);
        Assert.Contains(refused, refusal.Errors.Select(error => error.Field));
    }

    /// <summary>The same field twice in one amendment, or no field at all, is refused.</summary>
    [Fact]
    public void Each_field_once_and_at_least_one()
    {
        Assert.IsType<Refused>(Amendments.Decide(Amend(Admin, new FieldChange("ethnicity", "Kinh"), new FieldChange("ethnicity", "Tày")), Anh, Today, Now));
        Assert.Equal("changes", Assert.IsType<Refused>(Amendments.Decide(Amend(Admin), Anh, Today, Now)).Refusal.Errors.Single().Field);
    }

    /// <summary>Birth date and sex are corrected by a central administrator only.</summary>
    [Theory]
    [InlineData("birthDate", "1990-06-17")]
    [InlineData("sex", "male")]
    public void Birth_date_and_sex_are_for_central_administrators(string field, string value)
    {
        var refusal = Assert.IsType<Refused>(Amendments.Decide(Amend(Officer, new FieldChange(field, value)), Anh, Today, Now)).Refusal;

        Assert.Equal(RefusalKind.Forbidden, refusal.Kind);
        Assert.IsType<Acceptance>(Amendments.Decide(Amend(Admin, new FieldChange(field, value)), Anh, Today, Now));
    }

    /// <summary>A correction the number still agrees with keeps it; one it contradicts needs a new number.</summary>
    [Theory]
    [InlineData("birthDate", "1990-06-17", false)]
    [InlineData("birthDate", "1991-05-17", true)]
    [InlineData("birthDate", "2001-05-17", true)]
    [InlineData("sex", "male", true)]
    public void A_contradicted_number_needs_a_new_one(string field, string value, bool needsNewNumber) =>
        Assert.Equal(needsNewNumber, Assert.IsType<Acceptance>(Amendments.Decide(Amend(Admin, new FieldChange(field, value)), Anh, Today, Now)).NeedsNewNumber);

    /// <summary>Officers write only for their own province's residents; ministries and citizens never write.</summary>
    [Fact]
    public void Only_the_residents_province_or_the_centre_writes()
    {
        var elsewhere = new Actor("officer-2", ActorRole.ProvincialOfficer, "079");
        var ministry = new Actor("moh", ActorRole.MinistryPartner, null);

        Assert.Equal(RefusalKind.Forbidden, Assert.IsType<Refused>(Amendments.Decide(Amend(elsewhere, new FieldChange("ethnicity", "Kinh")), Anh, Today, Now)).Refusal.Kind);
        Assert.Equal(RefusalKind.Forbidden, Assert.IsType<Refused>(Amendments.Decide(Amend(ministry, new FieldChange("ethnicity", "Kinh")), Anh, Today, Now)).Refusal.Kind);
    }

    /// <summary>After death the address (and other living circumstances) are closed; recorded facts can still be corrected.</summary>
    [Fact]
    public void A_dead_persons_address_is_closed_but_facts_can_be_corrected()
    {
        var refusal = Assert.IsType<Refused>(Amendments.Decide(Amend(Officer, new FieldChange("permanentAddress", "5 Lý Thái Tổ")), DeadAnh, Today, Now)).Refusal;

        Assert.Equal(RefusalKind.Conflict, refusal.Kind);
        Assert.Equal("permanentAddress", refusal.Errors.Single().Field);
        Assert.Contains("died on 2026-01-02", refusal.Errors.Single().Message, StringComparison.Ordinal);
        Assert.IsType<Acceptance>(Amendments.Decide(Amend(Officer, new FieldChange("fullName", "Nguyễn Thị Ảnh")), DeadAnh, Today, Now));
        Assert.Equal(new DateOnly(2026, 1, 3), Assert.IsType<Acceptance>(Amendments.Decide(Amend(Officer, new FieldChange("deathDate", "2026-01-03")), DeadAnh, Today, Now)).Updated.Death!.Date);
    }

    /// <summary>The death's own fields exist only once a death is recorded.</summary>
    [Fact]
    public void A_living_persons_death_cannot_be_amended() =>
        Assert.Equal(RefusalKind.Conflict, Assert.IsType<Refused>(Amendments.Decide(Amend(Officer, new FieldChange("deathDate", "2026-01-03")), Anh, Today, Now)).Refusal.Kind);

    /// <summary>Confirmed citizenship keeps the identity certificate in the record and the number.</summary>
    [Fact]
    public void Confirming_citizenship_keeps_the_certificate_and_the_number()
    {
        var certificate = new IdentityCertificate(new DateOnly(2025, 1, 1), "Xã Tân Thạnh", new DateOnly(2024, 1, 1));
        var undetermined = Anh with { Nationality = NationalityStatus.UndeterminedVietnameseOrigin, IdentityCertificate = certificate };

        var accepted = Assert.IsType<Acceptance>(Amendments.Decide(Amend(Officer, new FieldChange("nationality", "vietnamese")), undetermined, Today, Now));

        Assert.Equal((NationalityStatus.Vietnamese, certificate, false), (accepted.Updated.Nationality, accepted.Updated.IdentityCertificate, accepted.NeedsNewNumber));
        Assert.IsType<Refused>(Amendments.Decide(Amend(Officer, new FieldChange("nationality", "undeterminedVietnameseOrigin")), Anh, Today, Now));
    }

    /// <summary>Links are set by number and returned for the grain to check that the people exist; clearing needs no check.</summary>
    [Fact]
    public void New_links_are_named_for_an_existence_check()
    {
        var spouse = PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Male, new DateOnly(1988, 1, 1)), 7);

        var accepted = Assert.IsType<Acceptance>(Amendments.Decide(Amend(Officer, new FieldChange("spouse", spouse.Value), new FieldChange("guardian", null)), Anh with { Family = FamilyLinks.None with { Guardian = spouse } }, Today, Now));

        Assert.Equal([("spouse", spouse)], accepted.NewLinks);
        Assert.Equal(FamilyLinks.None with { Spouse = spouse }, accepted.Updated.Family);
    }

    /// <summary>A death is recorded once, not in the future, not before birth, with place and certificate.</summary>
    [Fact]
    public void A_death_is_checked_and_recorded_once()
    {
        RecordDeath Death(DateOnly date, string place = "Hà Nội", string document = "KT-9") =>
            new("death-1", Officer, date, place, document) { Approval = new Approval("proposal-1", SecondAdmin) };

        Assert.Equal("date", Assert.IsType<Refused>(Amendments.Decide(Death(Today.AddDays(1)), Anh, Today, Now)).Refusal.Errors.Single().Field);
        Assert.Equal("date", Assert.IsType<Refused>(Amendments.Decide(Death(new DateOnly(1990, 5, 16)), Anh, Today, Now)).Refusal.Errors.Single().Field);
        Assert.Equal("place", Assert.IsType<Refused>(Amendments.Decide(Death(Today, " "), Anh, Today, Now)).Refusal.Errors.Single().Field);
        Assert.Equal(RefusalKind.Conflict, Assert.IsType<Refused>(Amendments.Decide(Death(Today), DeadAnh, Today, Now)).Refusal.Kind);

        var accepted = Assert.IsType<Acceptance>(Amendments.Decide(Death(Today), Anh, Today, Now));
        Assert.Equal(new DeathRecord(Today, "Hà Nội", "KT-9"), accepted.Updated.Death);
        Assert.False(accepted.Updated.IsAlive);
        Assert.Equal(ResidentChangeKind.Death, accepted.Entries.Single().Kind);
    }

    /// <summary>A repeated amendment id is a replay only when it asks for what was done.</summary>
    [Fact]
    public void A_repeated_id_is_a_replay_only_with_the_same_content()
    {
        var command = Amend(Officer, new FieldChange("ethnicity", "Kinh"));
        var entries = Assert.IsType<Acceptance>(Amendments.Decide(command, Anh, Today, Now)).Entries;

        Assert.True(Amendments.IsReplayOf(command, entries));
        Assert.False(Amendments.IsReplayOf(command with { Reason = "Khác" }, entries));
        Assert.False(Amendments.IsReplayOf(command with { Changes = [new FieldChange("religion", "Không")] }, entries));
        Assert.False(Amendments.IsReplayOf(command with { Changes = [new FieldChange("ethnicity", "Tày")] }, entries));
    }
}
