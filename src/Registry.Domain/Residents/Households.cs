using System.Security.Cryptography;
using System.Text;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Domain.Residents;

/// <summary>
/// A household's move, all members or none: the request's own checks, each member's move under an idempotency key derived
/// from the request's key, and the outcome from the members' answers. The household grain asks the members and stores
/// the request; what the answers mean is decided here.
/// </summary>
public static class Households
{
    /// <summary>Why <paramref name="command"/> is not a household move, naming each field, or null when it is one.</summary>
    public static HouseholdRefused? Check(RelocateHousehold command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new FieldErrors();
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(command.IdempotencyKey));
        errors.Add("members",
            command.Members is not { Length: > 0 and <= RelocateHousehold.MaxMembers } ? $"A household has 1 to {RelocateHousehold.MaxMembers} members."
            : command.Members.Distinct().Count() != command.Members.Length ? "A member is listed twice."
            : null);
        return errors.Any ? new HouseholdRefused(Refusal.Invalid(errors.ToArray()), []) : null;
    }

    /// <summary>The move of <paramref name="member"/> in <paramref name="command"/>: same destination and date, the member's own key.</summary>
    public static Relocate MoveOf(RelocateHousehold command, PersonalIdNumber member)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new Relocate(MemberKeyOf(command, member), command.Actor, command.Destination, command.MovedOn, ExpectedVersion: null);
    }

    /// <summary>Longest key <see cref="MemberKeyOf"/> and <see cref="MemberUndoKeyOf"/> derive, whatever the request's key.</summary>
    public const int MaxMemberKeyLength = 60;

    /// <summary>
    /// The idempotency key of <paramref name="member"/>'s move in <paramref name="command"/>:
    /// <c>household:{32 hex digits}:{number}</c>, 55 characters for every accepted key.
    /// </summary>
    /// <remarks>
    /// A member's move is a relocation of its own, whose key is held to the idempotency-key limit like any other, so
    /// the derived key must fit for every key the door accepts. Writing the key out (<c>household:{key}:{number}</c>)
    /// overran the limit for keys of 78 characters or more and the whole household was refused. The key is stood
    /// for by the first 128 bits of its SHA-256 instead: a fixed width, so the derived key fits by construction; a hash rather
    /// than a cut, since callers' keys often share long prefixes (a desk and a date) and a cut would let two requests'
    /// moves of one person look like one. The cost is that the member's history shows the digest, not the caller's
    /// key; the key maps to it by this method, and the household's own grain is keyed by the key itself.
    /// </remarks>
    public static string MemberKeyOf(RelocateHousehold command, PersonalIdNumber member)
    {
        ArgumentNullException.ThrowIfNull(command);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(command.IdempotencyKey)).AsSpan(0, 16));
        return $"household:{digest}:{member}";
    }

    /// <summary>The idempotency key of the change moving <paramref name="member"/> back when the household cannot move whole.</summary>
    public static string MemberUndoKeyOf(RelocateHousehold command, PersonalIdNumber member) => MemberKeyOf(command, member) + ":undo";

    /// <summary>
    /// The refusal of the whole household when any member's check refused their move, every member's answer listed;
    /// null when all may move. Checked before anything is stored, so a refused household changes nothing.
    /// </summary>
    /// <param name="command">The request.</param>
    /// <param name="checks">Each member's check, in the order of <see cref="RelocateHousehold.Members"/>; null when they may move.</param>
    public static HouseholdRefused? RefusalOf(RelocateHousehold command, IReadOnlyList<ChangeOutcome?> checks)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(checks);
        return checks.Any(check => check is ChangeRefused)
            ? CannotMoveWhole([.. command.Members.Select((member, i) => new HouseholdMemberResult(member, (checks[i] as ChangeRefused)?.Refusal, MovedBack: false))])
            : null;
    }

    /// <summary>The household moved when every member's move was done; null when one was refused and the others must go back.</summary>
    /// <param name="outcomes">Each member's move, in the order of the members.</param>
    public static HouseholdMoved? MovedWhole(IReadOnlyList<ChangeOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return outcomes.All(outcome => outcome is Changed)
            ? new HouseholdMoved([.. outcomes.Cast<Changed>().Select(changed => new ResidentView(changed.Resident, changed.Version))], Replayed: false)
            : null;
    }

    /// <summary>
    /// Whether a member whose move answered <paramref name="outcome"/> must go back once another member's move was refused
    /// (somebody died or moved between the check and the move): the household moves whole or not at all (invariant 4).
    /// </summary>
    public static bool MustMoveBack(ChangeOutcome outcome) => outcome is Changed;

    /// <summary>The refusal of a household that could not move whole: each member's refusal, and whether they were moved back.</summary>
    /// <param name="command">The request.</param>
    /// <param name="outcomes">Each member's move, in the order of the members.</param>
    /// <param name="movedBack">Whether each member was moved back.</param>
    public static HouseholdRefused Refused(RelocateHousehold command, IReadOnlyList<ChangeOutcome> outcomes, IReadOnlyList<bool> movedBack)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(movedBack);
        return CannotMoveWhole([.. command.Members.Select((member, i) => new HouseholdMemberResult(member, (outcomes[i] as ChangeRefused)?.Refusal, movedBack[i]))]);
    }

    /// <summary>The refusal of another request under <paramref name="command"/>'s key, which an earlier household move holds.</summary>
    public static HouseholdRefused KeyReused(RelocateHousehold command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new HouseholdRefused(new Refusal(RefusalKind.Conflict, "This idempotency key belongs to another request; nothing was changed.",
            [new FieldError("idempotencyKey", $"'{command.IdempotencyKey}' belongs to an earlier household move with other content. Use a new key for a new request.")]), []);
    }

    // The household as a whole is the conflict: each refused member's reasons, under the members field, in one sentence per member.
    private static HouseholdRefused CannotMoveWhole(HouseholdMemberResult[] members) =>
        new(new Refusal(RefusalKind.Conflict, "The household cannot move whole; nobody moved.",
            [.. members.Where(member => member.Refusal is not null)
                .Select(member => new FieldError("members", $"{member.PersonalIdNumber}: {string.Join(" ", member.Refusal!.Errors.Select(error => error.Message))}"))]),
            members);
}
