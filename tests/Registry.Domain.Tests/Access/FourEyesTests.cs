using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Access;
using Registry.Domain.Residents;

namespace Registry.Domain.Tests.Access;

/// <summary>
/// A death and a correction of full name, birth date or sex apply only with a second official's approval: never the
/// proposer's own, only from an official who could have made the change alone for the person's province.
/// </summary>
public sealed class FourEyesTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);

    /// <summary>Lives in Hà Nội (001).</summary>
    private static readonly ResidentRecord Anh = new(
        PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Female, new DateOnly(1990, 5, 17)), 123_456),
        "Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Sex.Female, "001", "001", Now.AddYears(-1));

    private static Actor ActorOf(string who) => who switch
    {
        "officer-001" => new("officer-001", ActorRole.ProvincialOfficer, "001"),
        "officer-001-b" => new("officer-001-b", ActorRole.ProvincialOfficer, "001"),
        "officer-079" => new("officer-079", ActorRole.ProvincialOfficer, "079"),
        "admin" => new("admin", ActorRole.CentralAdministrator, null),
        "admin-b" => new("admin-b", ActorRole.CentralAdministrator, null),
        // The same subject as officer-001 holding an administrator's token: still one person.
        "officer-001-as-admin" => new("officer-001", ActorRole.CentralAdministrator, null),
        "citizen" => new(Anh.PersonalIdNumber.Value, ActorRole.Citizen, null),
        "partner" => new("ministry-of-health", ActorRole.MinistryPartner, null),
        _ => throw new ArgumentOutOfRangeException(nameof(who), who, null),
    };

    /// <summary>Who may approve what a first official proposed, for a resident of 001: null when allowed.</summary>
    [Theory]
    [InlineData("officer-001", "officer-001-b", "death", true)]
    [InlineData("officer-001", "admin", "death", true)]
    [InlineData("admin", "officer-001", "death", true)]
    [InlineData("admin", "admin-b", "fullName", true)]
    [InlineData("officer-001", "officer-001-b", "fullName", true)]
    [InlineData("admin", "admin-b", "birthDate", true)]
    [InlineData("admin", "admin-b", "sex", true)]
    [InlineData("officer-001", "officer-001", "death", false)]
    [InlineData("admin", "admin", "fullName", false)]
    [InlineData("officer-001", "officer-001-as-admin", "death", false)]
    [InlineData("officer-001", "officer-079", "death", false)]
    [InlineData("officer-001", "citizen", "death", false)]
    [InlineData("officer-001", "partner", "fullName", false)]
    [InlineData("admin", "officer-001", "birthDate", false)]
    [InlineData("admin", "officer-001-b", "sex", false)]
    public void A_second_official_of_the_province_or_the_centre_approves(string proposer, string approver, string field, bool allowed)
    {
        var refusal = FourEyes.ApproverRefusal(ActorOf(proposer), ActorOf(approver), "001", [field]);

        Assert.Equal(allowed, refusal is null);
        if (refusal is not null)
        {
            Assert.Equal((RefusalKind.Forbidden, "approval"), (refusal.Kind, refusal.Errors.Single().Field));
        }
    }

    /// <summary>Approving their own proposal is refused with a reason that says so.</summary>
    [Fact]
    public void Nobody_approves_their_own_proposal() =>
        Assert.Contains("Nobody approves their own proposal", FourEyes.ApproverRefusal(ActorOf("officer-001"), ActorOf("officer-001"), "001", ["death"])!.Errors.Single().Message,
            StringComparison.Ordinal);

    /// <summary>A death without an approval is refused by the decision itself, so no path to the record bypasses it.</summary>
    [Fact]
    public void A_death_without_approval_is_refused()
    {
        var death = new RecordDeath("death-1", ActorOf("officer-001"), Today, "Hà Nội", "KT-9");

        var refusal = Assert.IsType<Refused>(Amendments.Decide(death, Anh, Today, Now)).Refusal;
        var selfApproved = Assert.IsType<Refused>(Amendments.Decide(death with { Approval = new Approval("p", ActorOf("officer-001")) }, Anh, Today, Now)).Refusal;
        var accepted = Assert.IsType<Acceptance>(Amendments.Decide(death with { Approval = new Approval("p", ActorOf("officer-001-b")) }, Anh, Today, Now));

        Assert.Equal((RefusalKind.Forbidden, "approval"), (refusal.Kind, refusal.Errors.Single().Field));
        Assert.Equal(RefusalKind.Forbidden, selfApproved.Kind);
        Assert.Equal((ActorOf("officer-001"), ActorOf("officer-001-b")), (accepted.Entries.Single().Actor, accepted.Entries.Single().ApprovedBy));
    }

    /// <summary>A correction of full name, birth date or sex without an approval is refused naming that field; other fields need none.</summary>
    [Theory]
    [InlineData("fullName", "Nguyễn Thị Ảnh", true)]
    [InlineData("birthDate", "1990-06-17", true)]
    [InlineData("sex", "male", true)]
    [InlineData("hometown", "Huế", false)]
    [InlineData("ethnicity", "Kinh", false)]
    public void Corrections_of_name_birth_date_and_sex_need_approval(string field, string value, bool needsApproval)
    {
        var command = new AmendResident("amend-1", ActorOf("admin"), "Sai", "QĐ-1", [new FieldChange(field, value)]);

        var decision = Amendments.Decide(command, Anh, Today, Now);

        Assert.Equal(needsApproval, FourEyes.Needs(command));
        if (needsApproval)
        {
            Assert.Equal((RefusalKind.Forbidden, field), (Assert.IsType<Refused>(decision).Refusal.Kind, Assert.IsType<Refused>(decision).Refusal.Errors.Single().Field));
            Assert.IsType<Acceptance>(Amendments.Decide(command with { Approval = new Approval("p", ActorOf("admin-b")) }, Anh, Today, Now));
        }
        else
        {
            Assert.IsType<Acceptance>(decision);
        }
    }

    /// <summary>A mixed amendment (name and hometown) needs the approval for the whole; bad input is refused as such first.</summary>
    [Fact]
    public void A_mixed_amendment_is_approved_whole_and_bad_input_comes_first()
    {
        var mixed = new AmendResident("amend-1", ActorOf("officer-001"), "Sai", "QĐ-1", [new FieldChange("hometown", "Huế"), new FieldChange("fullName", "Nguyễn Thị Ảnh")]);
        var badName = mixed with { Changes = [new FieldChange("fullName", "   ")] };

        Assert.Equal("fullName", Assert.IsType<Refused>(Amendments.Decide(mixed, Anh, Today, Now)).Refusal.Errors.Single().Field);
        Assert.Equal(RefusalKind.Invalid, Assert.IsType<Refused>(Amendments.Decide(badName, Anh, Today, Now)).Refusal.Kind);
        Assert.Equal(["hometown", "fullName"], Assert.IsType<Acceptance>(Amendments.Decide(
            mixed with { Approval = new Approval("p", ActorOf("admin")) }, Anh, Today, Now)).Entries.Select(entry => entry.Field));
    }

    /// <summary>
    /// The takeover of issue 11: once an officer of 001 has moved a resident of 079 into 001, their death still needs a
    /// second official, and an officer of 079 (no longer the person's province) cannot be it.
    /// </summary>
    [Fact]
    public void A_takeover_still_needs_a_second_official_of_the_new_province()
    {
        var takenOver = Anh with { PermanentResidenceProvince = "001", BirthRegistrationProvince = "079" };
        var death = new RecordDeath("death-1", ActorOf("officer-001"), Today, "Hà Nội", "KT-9");

        Assert.IsType<Refused>(Amendments.Decide(death, takenOver, Today, Now));
        Assert.IsType<Refused>(Amendments.Decide(death with { Approval = new Approval("p", ActorOf("officer-079")) }, takenOver, Today, Now));
        Assert.IsType<Acceptance>(Amendments.Decide(death with { Approval = new Approval("p", ActorOf("officer-001-b")) }, takenOver, Today, Now));
    }

    /// <summary>A proposal is checked as the approval would find it: bad input and an already recorded death are refused at once.</summary>
    [Fact]
    public void A_proposal_is_checked_as_if_approved()
    {
        var death = new RecordDeath("death-1", ActorOf("officer-001"), Today, "Hà Nội", "KT-9");
        var rename = new AmendResident("amend-1", ActorOf("officer-001"), "Sai", "QĐ-1", [new FieldChange("fullName", "Nguyễn Thị Ảnh")]);

        Assert.IsType<Acceptance>(Amendments.DecideProposal(new ProposedChange(death, null), Anh, Today, Now));
        Assert.IsType<Acceptance>(Amendments.DecideProposal(new ProposedChange(null, rename), Anh, Today, Now));
        Assert.Equal("date", Assert.IsType<Refused>(Amendments.DecideProposal(new ProposedChange(death with { Date = Today.AddDays(1) }, null), Anh, Today, Now))
            .Refusal.Errors.Single().Field);
        Assert.Equal(RefusalKind.Conflict, Assert.IsType<Refused>(Amendments.DecideProposal(new ProposedChange(death, null),
            Anh with { Death = new DeathRecord(Today, "Huế", "KT-1") }, Today, Now)).Refusal.Kind);
        Assert.Equal("changes", Assert.IsType<Refused>(Amendments.DecideProposal(new ProposedChange(null,
            rename with { Changes = [new FieldChange("hometown", "Huế")] }), Anh, Today, Now)).Refusal.Errors.Single().Field);
        Assert.Equal(RefusalKind.Forbidden, Assert.IsType<Refused>(Amendments.DecideProposal(new ProposedChange(death with { Actor = ActorOf("officer-079") }, null), Anh, Today, Now))
            .Refusal.Kind);
    }
}
