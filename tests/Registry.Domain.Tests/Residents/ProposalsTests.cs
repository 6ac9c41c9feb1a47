using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Tests.Residents;

/// <summary>A proposal's life: approved, rejected or withdrawn once, by the right official, before it expires.</summary>
public sealed class ProposalsTests
{
    private static readonly DateTimeOffset ProposedAt = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);
    private static readonly Actor Proposer = new("officer-001", ActorRole.ProvincialOfficer, "001");
    private static readonly Actor SecondOfficer = new("officer-001-b", ActorRole.ProvincialOfficer, "001");
    private static readonly Actor Admin = new("admin", ActorRole.CentralAdministrator, null);
    private static readonly PersonalIdNumber Number = PersonalIdNumber.Create(IdNumberPrefix.For("079", Sex.Female, new DateOnly(1990, 5, 17)), 123_456);

    private static readonly Proposal Open = Proposals.Open(Proposals.IdFor(Number, "death-1"), new ProposalCheck(null, Number, "001"),
        new ProposedChange(new RecordDeath("death-1", Proposer, new DateOnly(2026, 11, 27), "Hà Nội", "KT-9"), null), ProposedAt, TimeSpan.FromDays(7));

    /// <summary>Each verdict at a time within the open period, by whom: the status reached, or the kind of refusal.</summary>
    [Theory]
    [InlineData(ProposalVerdict.Approve, "officer-001-b", 1, "approving")]
    [InlineData(ProposalVerdict.Approve, "admin", 1, "approving")]
    [InlineData(ProposalVerdict.Reject, "officer-001-b", 1, "rejected")]
    [InlineData(ProposalVerdict.Withdraw, "officer-001", 1, "withdrawn")]
    [InlineData(ProposalVerdict.Approve, "officer-001", 1, "forbidden")]
    [InlineData(ProposalVerdict.Reject, "officer-001", 1, "forbidden")]
    [InlineData(ProposalVerdict.Withdraw, "officer-001-b", 1, "forbidden")]
    [InlineData(ProposalVerdict.Approve, "officer-079", 1, "forbidden")]
    [InlineData(ProposalVerdict.Approve, "officer-001-b", 7, "conflict")]
    [InlineData(ProposalVerdict.Approve, "admin", 30, "conflict")]
    [InlineData(ProposalVerdict.Withdraw, "officer-001", 8, "conflict")]
    public void A_verdict_is_taken_by_the_right_official_before_expiry(ProposalVerdict verdict, string who, int daysLater, string expected)
    {
        var actor = who switch
        {
            "officer-001" => Proposer,
            "officer-001-b" => SecondOfficer,
            "officer-079" => new Actor("officer-079", ActorRole.ProvincialOfficer, "079"),
            _ => Admin,
        };

        var decision = Proposals.Decide(Open, actor, verdict, ProposedAt.AddDays(daysLater));

        Assert.Equal(expected, decision switch
        {
            ProposalVerdictTaken taken => taken.Next.Status.ToString().ToLowerInvariant(),
            ProposalVerdictRefused refused => refused.Refusal.Kind.ToString().ToLowerInvariant(),
            _ => "repeated",
        });
    }

    /// <summary>The approver and the time are recorded; the same approval again is a repeat; another official's is refused.</summary>
    [Fact]
    public void An_approval_is_recorded_once()
    {
        var approvedAt = ProposedAt.AddDays(1);
        var approving = Assert.IsType<ProposalVerdictTaken>(Proposals.Decide(Open, SecondOfficer, ProposalVerdict.Approve, approvedAt)).Next;
        var approved = approving with { Status = ProposalStatus.Approved, AppliedTo = Number };

        Assert.Equal((SecondOfficer, (DateTimeOffset?)approvedAt), (approving.DecidedBy, approving.DecidedAt));
        Assert.IsType<ProposalVerdictRepeated>(Proposals.Decide(approving, SecondOfficer, ProposalVerdict.Approve, approvedAt.AddHours(1)));
        Assert.IsType<ProposalVerdictRepeated>(Proposals.Decide(approved, SecondOfficer, ProposalVerdict.Approve, approvedAt.AddDays(30)));
        Assert.Equal(RefusalKind.Conflict, Assert.IsType<ProposalVerdictRefused>(Proposals.Decide(approved, Admin, ProposalVerdict.Approve, approvedAt)).Refusal.Kind);
        Assert.Equal(RefusalKind.Conflict, Assert.IsType<ProposalVerdictRefused>(Proposals.Decide(approved, SecondOfficer, ProposalVerdict.Reject, approvedAt)).Refusal.Kind);
        Assert.Equal(new Approval(Open.Id, SecondOfficer), Proposals.Approved(approving).Death!.Approval);
    }

    /// <summary>An open proposal reads as expired from its expiry on; a decided one keeps its status.</summary>
    [Fact]
    public void An_open_proposal_expires()
    {
        Assert.Equal(ProposalStatus.Open, Proposals.StatusAt(Open, Open.ExpiresAt.AddTicks(-1)));
        Assert.Equal(ProposalStatus.Expired, Proposals.StatusAt(Open, Open.ExpiresAt));
        Assert.Equal(ProposalStatus.Rejected, Proposals.StatusAt(Open with { Status = ProposalStatus.Rejected }, Open.ExpiresAt.AddDays(1)));
    }

    /// <summary>The id is derived from the number and the key: the same request finds the same proposal, another key another one.</summary>
    [Fact]
    public void The_id_is_derived_from_the_number_and_the_key()
    {
        var id = Proposals.IdFor(Number, "death-1");

        Assert.True(Proposals.IsId(id), id);
        Assert.Equal(id, Proposals.IdFor(Number, "death-1"));
        Assert.NotEqual(id, Proposals.IdFor(Number, "death-2"));
        Assert.False(Proposals.IsId(id.ToUpperInvariant()));
        Assert.False(Proposals.IsId("../residents"));
    }
}
