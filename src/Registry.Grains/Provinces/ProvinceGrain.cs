using Registry.Contracts.Provinces;

namespace Registry.Grains.Provinces;

/// <summary>
/// A province's counters, kept in memory and rebuilt from the <see cref="ProvinceLedger"/> on activation.
/// Each change is made durable by the ledger insert before it is counted or acknowledged.
/// </summary>
public sealed class ProvinceGrain(ProvinceLedger ledger) : Grain, IProvinceGrain
{
    private string _code = "";
    private long _residents;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _code = this.GetPrimaryKeyString();
        if (!ProvinceCatalog.IsKnown(_code))
        {
            throw new ArgumentException($"'{_code}' is not a province code.");
        }

        _residents = await ledger.CountResidentsAsync(_code, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> ApplyResidentChangeAsync(ResidentCountChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Delta is not (1 or -1))
        {
            throw new ArgumentOutOfRangeException(nameof(change), change.Delta, "A resident count changes by one person at a time.");
        }

        if (!await ledger.TryRecordAsync(_code, change))
        {
            return false;
        }

        _residents += change.Delta;
        return true;
    }

    /// <inheritdoc />
    public Task<ProvinceCounts> GetCountsAsync() => Task.FromResult(new ProvinceCounts(_code, _residents));
}
