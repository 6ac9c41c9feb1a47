using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Batches;
using Registry.Domain.Residents;

namespace Registry.Domain.BulkLoad;

/// <summary>What the national bulk load does with one row: register the person under this number, or not, with the result to report.</summary>
public abstract record LoadDecision(int RowNumber);

/// <summary>The row registers <see cref="Request"/>'s person under <see cref="Number"/> (kept from before the registry, or allocated).</summary>
public sealed record LoadAccepted(int RowNumber, RegisterResident Request, PersonalIdNumber Number) : LoadDecision(RowNumber);

/// <summary>The row registers nobody; <see cref="Status"/> and <see cref="Result"/> are what a batch row would report.</summary>
public sealed record LoadNotApplied(int RowNumber, BatchRowStatus Status, BatchRowResult Result) : LoadDecision(RowNumber);

/// <summary>A registration row read and checked on its own, before the registry's facts are known.</summary>
public sealed record LoadCandidate(int RowNumber, RegisterResident Request);

/// <summary>
/// What the registry held before a chunk of the load, read in a few set-based queries: which kept numbers somebody
/// holds, which linked numbers nobody holds, and the people already registered under each duplicate key.
/// </summary>
/// <param name="HeldNumbers">Issued numbers of the chunk that belong to a person already.</param>
/// <param name="UnknownLinks">Linked numbers of the chunk that nobody holds.</param>
/// <param name="Candidates">People registered under a duplicate key of the chunk (<see cref="InitialLoad.DuplicateKey"/>).</param>
public sealed record RegistryFacts(
    IReadOnlySet<PersonalIdNumber> HeldNumbers,
    IReadOnlySet<PersonalIdNumber> UnknownLinks,
    IReadOnlyDictionary<string, IReadOnlyList<DuplicateCandidate>> Candidates);

/// <summary>
/// The decisions of the national bulk load (issue 14, item 7). Pure: a row is registered exactly when the registry's own
/// registration of it from a daily batch would be, with the same reasons when it is not: the batch's row parser and
/// <see cref="RegistrationRules"/>; links to people who exist; a kept number nobody holds; no duplicate candidates
/// unless the row confirms it is another person. The earlier rows of the load count as registered, as they would be
/// when a batch runs in file order.
/// </summary>
public static class InitialLoad
{
    /// <summary>The kinds of row a load takes.</summary>
    public const string OnlyRegistrations = "A national load registers people; send amendments in a daily batch.";

    /// <summary>A row read by the batch parser, checked as a registration: the candidate, or the rejection to report.</summary>
    /// <param name="parsed">The row as the batch parser read it.</param>
    /// <param name="rowNumber">Its 1-based record number.</param>
    /// <param name="operationPrefix">The load's prefix of operation ids; the row's registration key is the prefix and the row number.</param>
    /// <param name="today">Today in Vietnam.</param>
    public static (LoadCandidate? Candidate, LoadNotApplied? Rejected) Read(ParsedBatchRow parsed, int rowNumber, string operationPrefix, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        switch (parsed)
        {
            case UnreadableRow unreadable:
                return (null, Rejected(rowNumber, unreadable.Errors));
            case AmendmentRow:
                return (null, Rejected(rowNumber, [new FieldError(BatchColumns.Kind, OnlyRegistrations)]));
            case RegistrationRow registration:
                var command = registration.Command with { IdempotencyKey = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{operationPrefix}:{rowNumber}") };
                var (normalised, errors) = RegistrationRules.Check(command, today);
                return normalised is null ? (null, Rejected(rowNumber, errors)) : (new LoadCandidate(rowNumber, normalised), null);
            default:
                throw new ArgumentOutOfRangeException(nameof(parsed), parsed, "Unknown kind of parsed row.");
        }
    }

    /// <summary>The key under which people are duplicate candidates of each other: folded name, birth date, birth province.</summary>
    public static string DuplicateKey(string fullName, DateOnly birthDate, string birthRegistrationProvince) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{NameFolding.Fold(fullName)}|{birthDate:yyyy-MM-dd}|{birthRegistrationProvince}");

    /// <summary>
    /// Decides a chunk's candidates in file order. <paramref name="allocate"/> hands out the next free number of a prefix
    /// (or null when the prefix has none left); it is called only for rows that are registered without a kept number.
    /// </summary>
    /// <param name="candidates">The chunk's candidates, in file order.</param>
    /// <param name="facts">What the registry held before the chunk.</param>
    /// <param name="residenceProvince">The unit a birth registration province belongs to now (after any reorganisation).</param>
    /// <param name="allocate">The next free number of a prefix.</param>
    public static IReadOnlyList<LoadDecision> Decide(
        IReadOnlyList<LoadCandidate> candidates, RegistryFacts facts, Func<string, string> residenceProvince, Func<IdNumberPrefix, PersonalIdNumber?> allocate)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(residenceProvince);
        ArgumentNullException.ThrowIfNull(allocate);
        var registered = new HashSet<PersonalIdNumber>();
        var registeredByKey = new Dictionary<string, List<DuplicateCandidate>>(StringComparer.Ordinal);
        var decisions = new List<LoadDecision>(candidates.Count);
        foreach (var (row, request) in candidates)
        {
            var decision = DecideOne(row, request, facts, registered, registeredByKey, allocate);
            if (decision is LoadAccepted accepted)
            {
                registered.Add(accepted.Number);
                var key = DuplicateKey(request.FullName, request.BirthDate, request.BirthRegistrationProvince);
                if (!registeredByKey.TryGetValue(key, out var people))
                {
                    registeredByKey[key] = people = [];
                }

                people.Add(new DuplicateCandidate(accepted.Number, request.FullName, request.BirthDate, request.Sex, request.BirthRegistrationProvince,
                    residenceProvince(request.BirthRegistrationProvince)));
            }

            decisions.Add(decision);
        }

        return decisions;
    }

    // The registration grain's order: links first, then the kept number, then duplicates, then a number.
    private static LoadDecision DecideOne(int row, RegisterResident request, RegistryFacts facts, HashSet<PersonalIdNumber> registered,
        Dictionary<string, List<DuplicateCandidate>> registeredByKey, Func<IdNumberPrefix, PersonalIdNumber?> allocate)
    {
        var linkErrors = request.Family.Declared()
            .Where(link => facts.UnknownLinks.Contains(link.Number) && !registered.Contains(link.Number))
            .Select(link => new FieldError(link.Field, RegistrationRules.NoLinkedPerson(link.Number)))
            .ToArray();
        if (linkErrors.Length > 0)
        {
            return Rejected(row, linkErrors);
        }

        if (request.IssuedNumber is { } issued && (facts.HeldNumbers.Contains(issued) || registered.Contains(issued)))
        {
            return Rejected(row, [new FieldError("issuedNumber", RegistrationRules.IssuedNumberTaken(issued))]);
        }

        if (!request.ConfirmedNotDuplicate)
        {
            var key = DuplicateKey(request.FullName, request.BirthDate, request.BirthRegistrationProvince);
            var candidates = facts.Candidates.GetValueOrDefault(key, []).Concat(registeredByKey.GetValueOrDefault(key, [])).ToArray();
            if (candidates.Length > 0)
            {
                return new LoadNotApplied(row, BatchRowStatus.DuplicateCandidate, new BatchRowResult { Candidates = candidates });
            }
        }

        var prefix = IdNumberPrefix.For(request.BirthRegistrationProvince, request.Sex, request.BirthDate);
        return request.IssuedNumber is { } kept ? new LoadAccepted(row, request, kept)
            : allocate(prefix) is { } allocated ? new LoadAccepted(row, request, allocated)
            : Rejected(row, [new FieldError(BatchLimits.RowField, $"Every number of prefix {prefix} is taken.")]);
    }

    private static LoadNotApplied Rejected(int row, IReadOnlyList<FieldError> errors) =>
        new(row, BatchRowStatus.Rejected, new BatchRowResult { Errors = errors });
}
