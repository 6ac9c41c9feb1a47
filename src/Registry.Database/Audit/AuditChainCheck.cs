namespace Registry.Database.Audit;

/// <summary>An audit row as stored, for verification.</summary>
/// <param name="ChainId">Its chain.</param>
/// <param name="Position">Its position in the chain.</param>
/// <param name="Record">Its content.</param>
/// <param name="PreviousHash">The hash it says its predecessor has.</param>
/// <param name="Hash">The hash it says it has.</param>
/// <param name="SealedHash">The hash a seal recorded at its position, if one did.</param>
public sealed record StoredAuditRow(string ChainId, long Position, AuditRecord Record, byte[] PreviousHash, byte[] Hash, byte[]? SealedHash);

/// <summary>What is wrong with a chain at its first broken row.</summary>
public enum ChainBreakKind
{
    /// <summary>The row's content does not match its hash, or a seal says the chain held another row there.</summary>
    Changed,

    /// <summary>The row is not part of the chain: the rows around it link past it.</summary>
    Inserted,

    /// <summary>A row before this one is missing: a gap in the positions, or a link to a row that is not there.</summary>
    Deleted,

    /// <summary>The row links to the row after it: two rows were swapped.</summary>
    Reordered,

    /// <summary>The chain ends before the position a seal recorded.</summary>
    TailCut,
}

/// <summary>The first broken row of a chain.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="Position">The row named (for a cut tail, the first missing position).</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Detail">In words, for the operator.</param>
public sealed record ChainBreak(string ChainId, long Position, ChainBreakKind Kind, string Detail);

/// <summary>
/// Checks one chain, row by row in position order, keeping only the last two hashes: each row must sit at the next
/// position, match its own hash (<see cref="AuditChain.Hash"/>), link to the hash of the row before it and agree with
/// any seal at its position; at the end the chain must reach its last seal. The first broken row is classified from
/// how the links around it still fit, which is why <see cref="Check"/> is given the row after it too.
/// </summary>
public sealed class AuditChainCheck(string chainId)
{
    private long _expected = 1;
    private byte[] _linkHash = AuditChain.Genesis.ToArray();
    private byte[]? _hashBefore;

    /// <summary>The chain checked.</summary>
    public string ChainId { get; } = chainId;

    /// <summary>The first break found, once found; later rows are no longer checked.</summary>
    public ChainBreak? Break { get; private set; }

    /// <summary>Rows checked (all rows given, broken or not).</summary>
    public long Rows { get; private set; }

    /// <summary>The last position given.</summary>
    public long LastPosition { get; private set; }

    /// <summary>Checks <paramref name="row"/>, the next row of the chain; <paramref name="next"/> is the row after it, if any.</summary>
    public void Check(StoredAuditRow row, StoredAuditRow? next)
    {
        ArgumentNullException.ThrowIfNull(row);
        Rows++;
        LastPosition = row.Position;
        if (Break is not null)
        {
            return;
        }

        Break = Find(row, next);
        _hashBefore = _linkHash;
        _linkHash = row.Hash;
        _expected = row.Position + 1;
    }

    /// <summary>Checks the chain's end against its last seal, if it has one.</summary>
    public void End(long? sealedPosition, DateTimeOffset? sealedAt)
    {
        if (Break is null && sealedPosition is { } sealedAtPosition && sealedAtPosition > LastPosition)
        {
            Break = new ChainBreak(ChainId, LastPosition + 1, ChainBreakKind.TailCut,
                $"the chain ends at position {LastPosition}, but it was sealed at position {sealedAtPosition} ({sealedAt:u}): " +
                $"rows {LastPosition + 1} to {sealedAtPosition} (at least) were cut off.");
        }
    }

    private ChainBreak? Find(StoredAuditRow row, StoredAuditRow? next)
    {
        if (row.Position != _expected)
        {
            return row.Position > _expected
                ? Broken(_expected, ChainBreakKind.Deleted, $"positions {_expected} to {row.Position - 1} are missing.")
                : Broken(row.Position, ChainBreakKind.Inserted, $"position {row.Position} appears twice.");
        }

        if (!AuditChain.Hash(ChainId, row.Record, row.PreviousHash).AsSpan().SequenceEqual(row.Hash))
        {
            return Broken(row.Position, ChainBreakKind.Changed, "its content does not match its hash: the row was changed.");
        }

        if (!row.PreviousHash.AsSpan().SequenceEqual(_linkHash))
        {
            if (next is not null && row.PreviousHash.AsSpan().SequenceEqual(next.Hash))
            {
                return Broken(row.Position, ChainBreakKind.Reordered,
                    $"it links to the row at position {next.Position}, which should come before it: the two were swapped.");
            }

            if (next is not null && next.PreviousHash.AsSpan().SequenceEqual(_linkHash))
            {
                return Broken(row.Position, ChainBreakKind.Inserted, "the rows around it link past it: it was inserted.");
            }

            if (_hashBefore is not null && row.PreviousHash.AsSpan().SequenceEqual(_hashBefore))
            {
                return Broken(row.Position - 1, ChainBreakKind.Inserted, $"the row at position {row.Position} links past it: it was inserted.");
            }

            return Broken(row.Position, ChainBreakKind.Deleted,
                "the row it links to is not in the chain: a row before it was deleted (or the row before it was changed and its hash recomputed).");
        }

        if (row.SealedHash is { } sealedHash && !sealedHash.AsSpan().SequenceEqual(row.Hash))
        {
            return Broken(row.Position, ChainBreakKind.Changed,
                "a seal recorded another hash at this position: rows up to here were changed and their hashes recomputed.");
        }

        return null;
    }

    private ChainBreak Broken(long position, ChainBreakKind kind, string detail) => new(ChainId, position, kind, detail);
}
