using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Database.Provinces;

namespace Registry.Grains.Provinces;

/// <summary>
/// One shard of a province's counters, kept in memory and read on activation from the <see cref="ProvinceLedger"/>: its
/// latest checkpoint plus the changes recorded after it, so activating costs the same at a million ledger rows as at a
/// hundred million. Each change is made durable by the ledger insert before it is counted or acknowledged. Reentrant:
/// while one change waits for its commit, the next ones join the same commit instead of queueing behind it; every
/// counter update runs after its own commit, in one turn, so none is lost.
/// </summary>
/// <remarks>
/// The shard asks for a checkpoint every <see cref="ProvinceCounterOptions.CheckpointEvery"/> changes (counting those
/// it found after the checkpoint when it activated) and when it deactivates. PostgreSQL computes the checkpoint from the
/// ledger alone, never from this activation's memory, which is why it is exact whatever runs at the same time
/// (<see cref="ProvinceLedger"/> gives the argument); so it may run while changes are in flight, and a failed one only
/// leaves a longer tail for the next activation.
/// </remarks>
[Reentrant]
public sealed partial class ProvinceCounterGrain(ProvinceLedger ledger, IOptions<ProvinceCounterOptions> options, ILogger<ProvinceCounterGrain> logger)
    : Grain, IProvinceCounterGrain
{
    private readonly Dictionary<(Sex Sex, int BirthYear), long> _residents = [];
    private readonly Dictionary<ResidentCountReason, long> _changes = [];
    private readonly int _checkpointEvery = options.Value.CheckpointEvery;
    private string _provinceCode = "";
    private int _shard;

    // Changes recorded by this activation, or found after the checkpoint on activation, that no checkpoint asked for
    // since covers; and the checkpoint being written, at most one at a time per activation.
    private long _sinceCheckpoint;
    private Task _checkpoint = Task.CompletedTask;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var separator = key.IndexOf('/', StringComparison.Ordinal);
        if (separator != 3 || !ProvinceCatalog.IsKnown(key[..3]) || !int.TryParse(key[4..], out _shard) || _shard is < 0 or >= IProvinceCounterGrain.Shards)
        {
            throw new ArgumentException($"'{key}' is not a province counter shard key (code/shard).");
        }

        _provinceCode = key[..3];
        var stored = await ledger.ReadShardAsync(_provinceCode, _shard, cancellationToken);
        foreach (var cell in stored.Totals.Residents)
        {
            _residents[(cell.Sex, cell.BirthYear)] = cell.Count;
        }

        foreach (var change in stored.Totals.Changes)
        {
            _changes[change.Reason] = change.Count;
        }

        // A long tail (a silo that died before its shards' last checkpoints) is folded into a checkpoint at once, so
        // that the next activation does not read it again.
        _sinceCheckpoint = stored.ChangesAfterCheckpoint;
        CheckpointWhenDue();
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // After a clean stop the next activation reads no tail at all.
        await _checkpoint;
        if (_sinceCheckpoint > 0)
        {
            await WriteCheckpointAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<bool> ApplyAsync(ResidentCountChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Delta is not (1 or -1))
        {
            throw new ArgumentOutOfRangeException(nameof(change), change.Delta, "A resident count changes by one person at a time.");
        }

        if (!await ledger.TryRecordAsync(_provinceCode, _shard, change))
        {
            return false;
        }

        var cell = (change.PersonalIdNumber.Sex, change.PersonalIdNumber.BirthYear);
        _residents[cell] = _residents.GetValueOrDefault(cell) + change.Delta;
        _changes[change.Reason] = _changes.GetValueOrDefault(change.Reason) + 1;
        _sinceCheckpoint++;
        CheckpointWhenDue();
        return true;
    }

    /// <inheritdoc />
    public Task<ProvinceCounterTotals> GetTotalsAsync() => Task.FromResult(new ProvinceCounterTotals(
        [.. _residents.Where(static cell => cell.Value != 0).Select(static cell => new ResidentCell(cell.Key.Sex, cell.Key.BirthYear, cell.Value))],
        [.. _changes.Select(static change => new ReasonCount(change.Key, change.Value))]));

    // Started, not awaited: the change that crossed the threshold is acknowledged without waiting for the checkpoint,
    // which runs in this activation's turns between the calls it interleaves with and is awaited on deactivation.
    private void CheckpointWhenDue()
    {
        if (_sinceCheckpoint >= _checkpointEvery && _checkpoint.IsCompleted)
        {
            _checkpoint = WriteCheckpointAsync(CancellationToken.None);
        }
    }

    private async Task WriteCheckpointAsync(CancellationToken cancellationToken)
    {
        // Whatever is recorded from here on may fall after the checkpoint's bound; what was recorded before is covered
        // once the write commits (or, if the bound is held back by an older transaction, by the next one).
        var asked = _sinceCheckpoint;
        _sinceCheckpoint = 0;
        try
        {
            await ledger.WriteCheckpointAsync(_provinceCode, _shard, cancellationToken);
        }
#pragma warning disable CA1031 // Best effort: without this checkpoint the next activation reads a longer tail, and counts the same.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _sinceCheckpoint += asked;
            LogCheckpointFailed(logger, exception, _provinceCode, _shard);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the checkpoint of counter shard {ProvinceCode}/{Shard} failed; its next activation reads a longer tail")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string provinceCode, int shard);
}
