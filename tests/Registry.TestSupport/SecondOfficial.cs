using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.TestSupport;

/// <summary>
/// Deaths and corrections of full name, birth date or sex as the registry takes them since four eyes: proposed by the
/// command's actor, approved by a second official (<see cref="TestActors.SecondAdministrator"/> unless given), for tests
/// about something else than the approval itself. Answers what the citizen answered, or the proposal's refusal.
/// </summary>
public static class SecondOfficial
{
    /// <summary>Proposes <paramref name="death"/> for <paramref name="number"/> and has it approved.</summary>
    public static Task<ChangeOutcome> RecordApprovedDeathAsync(this IGrainFactory grains, PersonalIdNumber number, RecordDeath death, Actor? approver = null) =>
        ApprovedAsync(grains, number, new ProposedChange(death, null), approver);

    /// <summary>Proposes <paramref name="amendment"/> for <paramref name="number"/> and has it approved.</summary>
    public static Task<ChangeOutcome> AmendApprovedAsync(this IGrainFactory grains, PersonalIdNumber number, AmendResident amendment, Actor? approver = null) =>
        ApprovedAsync(grains, number, new ProposedChange(null, amendment), approver);

    private static async Task<ChangeOutcome> ApprovedAsync(IGrainFactory grains, PersonalIdNumber number, ProposedChange change, Actor? approver)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var proposal = grains.Proposal(Proposals.IdFor(number, change.IdempotencyKey));
        if (await proposal.ProposeAsync(number, change) is ProposalRefused refused)
        {
            return new ChangeRefused(refused.Refusal);
        }

        return await proposal.DecideAsync(approver ?? TestActors.SecondAdministrator, ProposalVerdict.Approve) switch
        {
            ProposalAnswered { Applied: { } applied } => applied,
            ProposalRefused notApplied => new ChangeRefused(notApplied.Refusal),
            var other => throw new InvalidOperationException($"An approval answered {other}."),
        };
    }
}
