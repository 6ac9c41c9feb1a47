using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;

namespace Registry.Domain.Residents;

/// <summary>
/// What a reorganisation does to one resident: a person living in an absorbed province now lives in the unit that
/// absorbed it (Resolution 202/2025/QH15), with the same commune and address; their ID number keeps its old code for
/// ever (Decree 137/2015). The count moves from the old province to the new one.
/// </summary>
public static class ProvinceReassignments
{
    /// <summary>
    /// The reassigned record with its history entry and counts, or null when there is nothing to do: nobody holds the
    /// number, the person is dead, or they no longer live in <see cref="ProvinceReassignment.From"/> (moved by this
    /// plan already, or elsewhere meanwhile).
    /// </summary>
    public static Acceptance? Decide(ProvinceReassignment reassignment, ResidentRecord? current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reassignment);
        if (current is not { IsAlive: true } resident || resident.PermanentResidenceProvince != reassignment.From)
        {
            return null;
        }

        var moved = resident with { PermanentResidenceProvince = reassignment.To };
        // One operation per plan and person: a repeated run of the plan counts nobody twice.
        var operation = $"reorganisation:{reassignment.PlanId}:{resident.PersonalIdNumber}";
        var entry = new ResidentChange(operation, ResidentChangeKind.Reorganisation, now, reassignment.Actor, ResidentFields.PermanentResidence,
            ResidenceAddress.TextOf(resident), ResidenceAddress.TextOf(moved), $"Province reorganisation {reassignment.PlanId}", null);
        return new Acceptance(moved, [entry], [], NeedsNewNumber: false)
        {
            Counts =
            [
                new(reassignment.From, new ResidentCountChange(operation + ":out", resident.PersonalIdNumber, -1, ResidentCountReason.Reorganisation, operation)),
                new(reassignment.To, new ResidentCountChange(operation + ":in", resident.PersonalIdNumber, +1, ResidentCountReason.Reorganisation, operation)),
            ],
        };
    }
}
