using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Domain.Batches;

/// <summary>A stored row read into the command it asks for, or the reasons it cannot be.</summary>
public abstract record ParsedBatchRow
{
    /// <summary>
    /// The personal ID numbers the row reads or writes (the person amended, an issued number, family links). Rows of a
    /// chunk that share one are processed one after another in file order; the others concurrently.
    /// </summary>
    public IReadOnlyList<PersonalIdNumber> People { get; init; } = [];
}

/// <summary>A registration, to send to the registration grain under its idempotency key.</summary>
public sealed record RegistrationRow(RegisterResident Command) : ParsedBatchRow;

/// <summary>An amendment of <paramref name="PersonalIdNumber"/>, to send to that citizen grain.</summary>
public sealed record AmendmentRow(PersonalIdNumber PersonalIdNumber, AmendResident Command) : ParsedBatchRow;

/// <summary>A row that asks for nothing valid; it is rejected with these errors.</summary>
public sealed record UnreadableRow(FieldError[] Errors) : ParsedBatchRow;
