using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Identity;

/// <summary>
/// A new personal ID number for a person whose corrected birth date or sex contradicts the old one (Decree 137/2015
/// Art. 7: the number encodes them). The record moves to the new number, which keeps the old ones as history; the
/// old number forwards every call to the new one.
/// </summary>
public static class Renumbering
{
    /// <summary>The history entry of the number change, after the correction that made it necessary.</summary>
    /// <param name="correction">The amendment's first history entry: its reason and document are the number change's too.</param>
    /// <param name="actor">Who made the correction.</param>
    /// <param name="from">The number the person held.</param>
    /// <param name="to">The number allocated for them.</param>
    /// <param name="now">The time stamped on history.</param>
    public static ResidentChange Entry(ResidentChange correction, Actor actor, PersonalIdNumber from, PersonalIdNumber to, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(correction);
        return new ResidentChange(correction.OperationId, ResidentChangeKind.NumberChange, now, actor,
            ResidentFields.PersonalIdNumber, from.Value, to.Value, correction.Reason, correction.DocumentReference);
    }

    /// <summary>
    /// The record as the new number holds it, and the counts the hand-over owes: the person's count moves from the old
    /// number's sex and birth year to the new one's, in the same province; a dead person is counted nowhere.
    /// </summary>
    /// <param name="record">The corrected record, still under its old number.</param>
    /// <param name="to">The new number.</param>
    public static (ResidentRecord Moved, OwedCount[] Counts) HandOver(ResidentRecord record, PersonalIdNumber to)
    {
        ArgumentNullException.ThrowIfNull(record);
        var from = record.PersonalIdNumber;
        var moved = record with { PersonalIdNumber = to, PreviousNumbers = [.. record.PreviousNumbers, from] };
        var province = moved.PermanentResidenceProvince;
        var operation = $"renumbering:{from}:{to}";
        OwedCount[] counts = moved.IsAlive
            ? [new(province, new ResidentCountChange(operation + ":old", from, -1, ResidentCountReason.Renumbering)),
               new(province, new ResidentCountChange(operation + ":new", to, +1, ResidentCountReason.Renumbering))]
            : [];
        return (moved, counts);
    }
}
