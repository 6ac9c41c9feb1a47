using Orleans.Concurrency;

namespace Registry.Contracts.Cards;

/// <summary>
/// The card expiry sweep of one province on one day (issue 12, part 6), keyed <c>{province code}/{yyyy-MM-dd}</c>; silos start
/// it daily, and a client (the benchmark, an operator's tool) may start and follow it.
/// </summary>
public interface ICardExpirySweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts recording the expiry of every card of the province past its last valid day before the day, unless it was
    /// started before: once per province and day, however often it is called. Answers at once; it goes on in pages.
    /// </summary>
    Task<CardExpirySweepProgress> StartAsync();

    /// <summary>
    /// Where the sweep stands, answered at once even while a page runs (it only reads the progress record, replaced whole
    /// at the end of each page): a page of a sweep running beside the country's 62 others can take seconds, and a caller
    /// that waited for it would be waiting for the sweep, not for its answer.
    /// </summary>
    [AlwaysInterleave]
    Task<CardExpirySweepProgress> GetProgressAsync();
}

/// <summary>Where a province's card expiry sweep of a day stands.</summary>
/// <param name="Done">True once a page found no card left.</param>
/// <param name="Expired">Expiries this sweep recorded.</param>
/// <param name="Pages">Pages stored so far.</param>
[GenerateSerializer, Immutable, Alias("registry.CardExpirySweepProgress")]
public sealed record CardExpirySweepProgress([property: Id(0)] bool Done, [property: Id(1)] long Expired, [property: Id(2)] long Pages);
