using Orleans.Concurrency;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Database.Provinces;

namespace Registry.Grains.Provinces;

/// <summary>
/// One shard of a province's counters, kept in memory and rebuilt from the <see cref="ProvinceLedger"/> on activation.
/// Each change is made durable by the ledger insert before it is counted or acknowledged. Reentrant: while one change
/// waits for its commit, the next ones join the same commit instead of queueing behind it; every counter update runs
/// after its own commit, in one turn, so none is lost.
/// </summary>
[Reentrant]
public sealed class ProvinceCounterGrain(ProvinceLedger ledger) : Grain, IProvinceCounterGrain
{
    private readonly Dictionary<(Sex Sex, int BirthYear), long> _residents = [];
    private readonly Dictionary<ResidentCountReason, long> _changes = [];
    private string _provinceCode = "";
    private int _shard;

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
        var totals = await ledger.ReadShardAsync(_provinceCode, _shard, cancellationToken);
        foreach (var cell in totals.Residents)
        {
            _residents[(cell.Sex, cell.BirthYear)] = cell.Count;
        }

        foreach (var change in totals.Changes)
        {
            _changes[change.Reason] = change.Count;
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
        return true;
    }

    /// <inheritdoc />
    public Task<ProvinceCounterTotals> GetTotalsAsync() => Task.FromResult(new ProvinceCounterTotals(
        [.. _residents.Where(static cell => cell.Value != 0).Select(static cell => new ResidentCell(cell.Key.Sex, cell.Key.BirthYear, cell.Value))],
        [.. _changes.Select(static change => new ReasonCount(change.Key, change.Value))]));
}
