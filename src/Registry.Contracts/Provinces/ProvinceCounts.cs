namespace Registry.Contracts.Provinces;

/// <summary>A shard's counters: residents by sex and birth year, and the changes counted by reason.</summary>
/// <param name="Residents">People counted here, one cell per sex and birth year (cells may be negative in one shard; sums are exact).</param>
/// <param name="Changes">Changes applied, by reason, each counted once whatever its sign.</param>
[GenerateSerializer, Immutable, Alias("registry.ProvinceCounterTotals")]
public sealed record ProvinceCounterTotals(
    [property: Id(0)] ResidentCell[] Residents,
    [property: Id(1)] ReasonCount[] Changes);

/// <summary>Residents of one sex born in one year.</summary>
[GenerateSerializer, Immutable, Alias("registry.ResidentCell")]
public sealed record ResidentCell([property: Id(0)] Residents.Sex Sex, [property: Id(1)] int BirthYear, [property: Id(2)] long Count);

/// <summary>How many changes of one reason were applied.</summary>
[GenerateSerializer, Immutable, Alias("registry.ReasonCount")]
public sealed record ReasonCount([property: Id(0)] ResidentCountReason Reason, [property: Id(1)] long Count);

/// <summary>A province's counters.</summary>
/// <param name="ProvinceCode">The province.</param>
/// <param name="Residents">People whose permanent residence is here.</param>
/// <param name="Male">Of them, men.</param>
/// <param name="Female">Of them, women.</param>
/// <param name="AgeBands">Of them, by age reached this year, in the bands of the ID card's renewal ages (Law 26/2023): 0–13, 14–24, 25–39, 40–59, 60 and over.</param>
/// <param name="Arrivals">Relocations into the province.</param>
/// <param name="Departures">Relocations out of it.</param>
/// <param name="Births">Newborns registered here.</param>
/// <param name="Deaths">Residents' deaths.</param>
[GenerateSerializer, Immutable, Alias("registry.ProvinceCounts")]
public sealed record ProvinceCounts(
    [property: Id(0)] string ProvinceCode,
    [property: Id(1)] long Residents,
    [property: Id(2)] long Male,
    [property: Id(3)] long Female,
    [property: Id(4)] AgeBandCount[] AgeBands,
    [property: Id(5)] long Arrivals,
    [property: Id(6)] long Departures,
    [property: Id(7)] long Births,
    [property: Id(8)] long Deaths)
{
    /// <inheritdoc />
    public bool Equals(ProvinceCounts? other) =>
        other is not null
        && (ProvinceCode, Residents, Male, Female, Arrivals, Departures, Births, Deaths)
            == (other.ProvinceCode, other.Residents, other.Male, other.Female, other.Arrivals, other.Departures, other.Births, other.Deaths)
        && AgeBands.SequenceEqual(other.AgeBands);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ProvinceCode, Residents, Arrivals, Departures);

    /// <summary>The lower ends of the age bands: the ages at which an ID card is renewed.</summary>
    public static readonly int[] AgeBandStarts = [0, 14, 25, 40, 60];

    /// <summary>Adds up shard totals as of <paramref name="year"/> (ages are reached within the year).</summary>
    public static ProvinceCounts Sum(string provinceCode, IEnumerable<ProvinceCounterTotals> shards, int year)
    {
        ArgumentNullException.ThrowIfNull(shards);
        long male = 0, female = 0, arrivals = 0, departures = 0, births = 0, deaths = 0;
        var bands = new long[AgeBandStarts.Length];
        foreach (var shard in shards)
        {
            foreach (var cell in shard.Residents)
            {
                if (cell.Sex == Registry.Contracts.Residents.Sex.Female)
                {
                    female += cell.Count;
                }
                else
                {
                    male += cell.Count;
                }

                bands[BandOf(year - cell.BirthYear)] += cell.Count;
            }

            foreach (var change in shard.Changes)
            {
                switch (change.Reason)
                {
                    case ResidentCountReason.Arrival: arrivals += change.Count; break;
                    case ResidentCountReason.Departure: departures += change.Count; break;
                    case ResidentCountReason.Birth: births += change.Count; break;
                    case ResidentCountReason.Death: deaths += change.Count; break;
                }
            }
        }

        var ageBands = bands.Select((count, band) => new AgeBandCount(BandName(band), count)).ToArray();
        return new ProvinceCounts(provinceCode, male + female, male, female, ageBands, arrivals, departures, births, deaths);
    }

    private static int BandOf(int age)
    {
        var band = 0;
        while (band + 1 < AgeBandStarts.Length && age >= AgeBandStarts[band + 1])
        {
            band++;
        }

        return band;
    }

    private static string BandName(int band) =>
        band + 1 < AgeBandStarts.Length ? $"{AgeBandStarts[band]}-{AgeBandStarts[band + 1] - 1}" : $"{AgeBandStarts[band]}+";
}

/// <summary>Residents in one age band, e.g. "14-24" or "60+".</summary>
[GenerateSerializer, Immutable, Alias("registry.AgeBandCount")]
public sealed record AgeBandCount([property: Id(0)] string Band, [property: Id(1)] long Residents);
