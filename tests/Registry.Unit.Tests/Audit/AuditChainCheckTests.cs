using Registry.Database.Audit;

namespace Registry.Unit.Tests.Audit;

/// <summary>
/// The chain check finds the first broken row of a chain and says what was done to it: changed, inserted, deleted,
/// reordered, or the tail cut off after a seal; an intact chain passes. Chains are built in memory with the writer's hash.
/// </summary>
public sealed class AuditChainCheckTests
{
    private const string ChainId = "test-host/20260301T080000Z/00000000/1";

    /// <summary>A chain as written, sealed at its end, has no break.</summary>
    [Fact]
    public void An_intact_sealed_chain_passes()
    {
        var rows = Chain(8);
        rows[^1] = rows[^1] with { SealedHash = rows[^1].Hash };

        Assert.Null(Check(rows, sealedPosition: 8));
    }

    /// <summary>A row whose content changed after it was written no longer matches its hash.</summary>
    [Fact]
    public void A_changed_row_is_named()
    {
        var rows = Chain(8);
        rows[4] = rows[4] with { Record = rows[4].Record with { ActorId = "someone-else" } };

        AssertBreak(Check(rows), 5, ChainBreakKind.Changed);
    }

    /// <summary>A row deleted leaves a gap in the positions.</summary>
    [Fact]
    public void A_deleted_row_leaves_a_gap()
    {
        var rows = Chain(8);
        rows.RemoveAt(4);

        AssertBreak(Check(rows), 5, ChainBreakKind.Deleted);
    }

    /// <summary>A row deleted and the later rows renumbered: the next row links to a row that is not there.</summary>
    [Fact]
    public void A_deleted_row_with_the_rest_renumbered_is_found_at_its_successor()
    {
        var rows = Chain(8);
        rows.RemoveAt(4);
        for (var i = 4; i < rows.Count; i++)
        {
            rows[i] = rows[i] with { Position = i + 1 };
        }

        AssertBreak(Check(rows), 5, ChainBreakKind.Deleted);
    }

    /// <summary>A forged row with a correct hash of its own, linked to its predecessor: the row after it links past it.</summary>
    [Fact]
    public void An_inserted_row_with_a_correct_hash_is_named()
    {
        var rows = Chain(8);
        var forged = Record(99);
        var hash = AuditChain.Hash(ChainId, forged, rows[3].Hash);
        rows.Insert(4, new StoredAuditRow(ChainId, 5, forged, rows[3].Hash, hash, null));
        for (var i = 5; i < rows.Count; i++)
        {
            rows[i] = rows[i] with { Position = i + 1 };
        }

        AssertBreak(Check(rows), 5, ChainBreakKind.Inserted);
    }

    /// <summary>A forged row whose links were not made up: the chain continues past it.</summary>
    [Fact]
    public void An_inserted_row_that_links_nowhere_is_named()
    {
        var rows = Chain(8);
        var forged = Record(99);
        var previous = new byte[AuditChain.HashLength];
        previous[0] = 1;
        rows.Insert(4, new StoredAuditRow(ChainId, 5, forged, previous, AuditChain.Hash(ChainId, forged, previous), null));
        for (var i = 5; i < rows.Count; i++)
        {
            rows[i] = rows[i] with { Position = i + 1 };
        }

        AssertBreak(Check(rows), 5, ChainBreakKind.Inserted);
    }

    /// <summary>Two neighbours swapped: the first links to the second.</summary>
    [Fact]
    public void Two_swapped_rows_are_named_as_reordered()
    {
        var rows = Chain(8);
        (rows[4], rows[5]) = (rows[5] with { Position = 5 }, rows[4] with { Position = 6 });

        AssertBreak(Check(rows), 5, ChainBreakKind.Reordered);
    }

    /// <summary>Rows cut off the end after a seal: the chain stops short of the seal.</summary>
    [Fact]
    public void A_cut_tail_is_found_from_the_seal()
    {
        var rows = Chain(8);
        rows.RemoveRange(6, 2);

        AssertBreak(Check(rows, sealedPosition: 8), 7, ChainBreakKind.TailCut);
    }

    /// <summary>A chain rewritten and rehashed from a row on still disagrees with the seal recorded before.</summary>
    [Fact]
    public void A_rehashed_chain_disagrees_with_its_seal()
    {
        var rows = Chain(8);
        var sealedHash = rows[5].Hash;
        rows[2] = rows[2] with { Record = rows[2].Record with { Purpose = "tax" } };
        for (var i = 2; i < rows.Count; i++)
        {
            var previous = i == 0 ? AuditChain.Genesis.ToArray() : rows[i - 1].Hash;
            rows[i] = rows[i] with { PreviousHash = previous, Hash = AuditChain.Hash(ChainId, rows[i].Record, previous) };
        }

        rows[5] = rows[5] with { SealedHash = sealedHash };

        AssertBreak(Check(rows), 6, ChainBreakKind.Changed);
    }

    private static ChainBreak? Check(List<StoredAuditRow> rows, long? sealedPosition = null)
    {
        var check = new AuditChainCheck(ChainId);
        for (var i = 0; i < rows.Count; i++)
        {
            check.Check(rows[i], i + 1 < rows.Count ? rows[i + 1] : null);
        }

        check.End(sealedPosition, sealedPosition is null ? null : DateTimeOffset.UnixEpoch);
        return check.Break;
    }

    private static void AssertBreak(ChainBreak? found, long position, ChainBreakKind kind)
    {
        Assert.NotNull(found);
        Assert.Equal((ChainId, position, kind), (found.ChainId, found.Position, found.Kind));
    }

    private static List<StoredAuditRow> Chain(int length)
    {
        var rows = new List<StoredAuditRow>();
        var previous = AuditChain.Genesis.ToArray();
        for (var position = 1; position <= length; position++)
        {
            var record = Record(position);
            var hash = AuditChain.Hash(ChainId, record, previous);
            rows.Add(new StoredAuditRow(ChainId, position, record, previous, hash, null));
            previous = hash;
        }

        return rows;
    }

    private static AuditRecord Record(int n) => new(
        DateTimeOffset.UnixEpoch.AddSeconds(1_770_000_000 + n),
        "test-officer-079",
        "provincial-officer",
        "079",
        "127.0.0.1",
        "data-quality",
        $"file {n}",
        "GET /residents/{personalIdNumber}",
        [$"079190{n:000000}"],
        ["fullName"],
        "allowed",
        200,
        null);
}
