using System.Security.Cryptography;
using System.Text;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Access;

namespace Registry.Domain.Residents;

/// <summary>What an official's verdict does to a proposal.</summary>
public abstract record ProposalDecision;

/// <summary>The verdict is refused; nothing changes.</summary>
public sealed record ProposalVerdictRefused(Refusal Refusal) : ProposalDecision;

/// <summary>The same official gave the same verdict before: answer as then.</summary>
public sealed record ProposalVerdictRepeated(Proposal Proposal) : ProposalDecision;

/// <summary>The verdict takes effect: store <paramref name="Next"/> (an approval then applies the change).</summary>
public sealed record ProposalVerdictTaken(Proposal Next) : ProposalDecision;

/// <summary>
/// The life of a proposal (see <see cref="FourEyes"/>) as pure decisions: its id, where it stands at a given instant,
/// and what an official's verdict does to it. The proposal grain loads, decides here, stores and tells the citizen.
/// </summary>
public static class Proposals
{
    /// <summary>How long a proposal waits for a second official unless configured otherwise: a working week and a weekend.</summary>
    public static readonly TimeSpan DefaultOpenFor = TimeSpan.FromDays(7);

    /// <summary>
    /// The id of the proposal made for <paramref name="personalIdNumber"/> with <paramref name="idempotencyKey"/>: derived,
    /// so the same request repeated finds its proposal without a lookup, and made of 26 lower-case base-32 characters
    /// (130 bits of SHA-256) so it fits in a URL whatever the key holds.
    /// </summary>
    public static string IdFor(PersonalIdNumber personalIdNumber, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{personalIdNumber.Value}\n{idempotencyKey}"));
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var id = new StringBuilder(26);
        for (var bit = 0; bit < 26 * 5; bit += 5)
        {
            var word = (digest[bit / 8] << 8) | digest[(bit / 8) + 1];
            id.Append(alphabet[(word >> (11 - (bit % 8))) & 31]);
        }

        return id.ToString();
    }

    /// <summary>Whether <paramref name="text"/> has the form of a proposal id.</summary>
    public static bool IsId(string? text) =>
        text is { Length: 26 } && text.All(c => c is (>= 'a' and <= 'z') or (>= '2' and <= '7'));

    /// <summary>A new open proposal of <paramref name="change"/>, expiring <paramref name="openFor"/> after <paramref name="now"/>.</summary>
    public static Proposal Open(string id, ProposalCheck check, ProposedChange change, DateTimeOffset now, TimeSpan openFor)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new Proposal(id, check.PersonalIdNumber, check.ProvinceCode, change, now, now + openFor);
    }

    /// <summary>Where <paramref name="proposal"/> stands at <paramref name="now"/>: an open one past its expiry is expired.</summary>
    public static ProposalStatus StatusAt(Proposal proposal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal.Status == ProposalStatus.Open && now >= proposal.ExpiresAt ? ProposalStatus.Expired : proposal.Status;
    }

    /// <summary>
    /// What <paramref name="actor"/>'s <paramref name="verdict"/> does to <paramref name="proposal"/> at <paramref name="now"/>.
    /// Approval and rejection belong to a second official who may approve (<see cref="FourEyes.ApproverRefusal"/>);
    /// withdrawal to the proposer alone. A verdict repeated by the same official answers as the first; any other verdict on a
    /// decided or expired proposal is refused (409).
    /// </summary>
    public static ProposalDecision Decide(Proposal proposal, Actor actor, ProposalVerdict verdict, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(actor);
        var proposer = proposal.Change.Proposer;
        var refusal = verdict == ProposalVerdict.Withdraw
            ? actor.Id == proposer.Id ? null : Forbidden($"Only {proposer.Id}, who proposed it, withdraws this proposal.")
            : FourEyes.ApproverRefusal(proposer, actor, proposal.ProvinceCode, FourEyes.FieldsOf(proposal.Change));
        if (refusal is not null)
        {
            return new ProposalVerdictRefused(refusal);
        }

        var reached = verdict switch
        {
            ProposalVerdict.Approve => ProposalStatus.Approving,
            ProposalVerdict.Reject => ProposalStatus.Rejected,
            ProposalVerdict.Withdraw => ProposalStatus.Withdrawn,
            _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Unknown verdict."),
        };
        var repeated = proposal.DecidedBy?.Id == actor.Id
            && (proposal.Status == reached || (reached == ProposalStatus.Approving && proposal.Status == ProposalStatus.Approved));
        if (repeated)
        {
            return new ProposalVerdictRepeated(proposal);
        }

        return StatusAt(proposal, now) switch
        {
            ProposalStatus.Open => new ProposalVerdictTaken(proposal with { Status = reached, DecidedBy = actor, DecidedAt = now }),
            ProposalStatus.Expired => new ProposalVerdictRefused(Conflict(
                $"The proposal expired at {proposal.ExpiresAt:yyyy-MM-dd HH:mm:ss} UTC without a second official's approval; propose the change again.")),
            var status => new ProposalVerdictRefused(Conflict(
                $"The proposal is already {status.ToString().ToLowerInvariant()} by {proposal.DecidedBy?.Id}.")),
        };
    }

    /// <summary>The proposal back to open after the citizen refused its approved change (e.g. the person died meanwhile).</summary>
    public static Proposal Reopened(Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal with { Status = ProposalStatus.Open, DecidedBy = null, DecidedAt = null };
    }

    /// <summary>The command the citizen applies once <paramref name="proposal"/> is approved: the proposed one with the approval.</summary>
    public static ProposedChange Approved(Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var approval = new Approval(proposal.Id, proposal.DecidedBy ?? throw new InvalidOperationException("An approved proposal names its approver."));
        return new ProposedChange(proposal.Change.Death is { } death ? death with { Approval = approval } : null,
            proposal.Change.Amendment is { } amendment ? amendment with { Approval = approval } : null);
    }

    private static Refusal Forbidden(string message) =>
        new(RefusalKind.Forbidden, "The actor may not decide this proposal; nothing was changed.", [new FieldError("proposal", message)]);

    private static Refusal Conflict(string message) =>
        new(RefusalKind.Conflict, "The proposal cannot be decided any more; nothing was changed.", [new FieldError("proposal", message)]);
}
