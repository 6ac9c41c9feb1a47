using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Registry.Contracts;
using Registry.Contracts.Cards;
using Registry.Database.Cards;
using Registry.Domain.Identity.Cards;
using Registry.Grains.PagedWork;

namespace Registry.Grains.Cards;

/// <summary>Stored state of a province's card expiry sweep of a day.</summary>
public sealed record CardExpirySweepState
{
    /// <summary>True once a page found no card left.</summary>
    public bool Done { get; init; }

    /// <summary>Expiries recorded.</summary>
    public long Expired { get; init; }

    /// <summary>Pages stored.</summary>
    public long Pages { get; init; }

    /// <summary>The last valid day of the last card of the pages so far; with <see cref="AfterDocumentNumber"/>, where the next page starts.</summary>
    public DateOnly? AfterExpiresOn { get; init; }

    /// <summary>The document number of the last card of the pages so far.</summary>
    public string? AfterDocumentNumber { get; init; }
}

/// <summary>
/// Records, for one province and day, the expiry of every card stored as issued whose last valid day has passed (Law
/// 26/2023 Art. 21): each card's step, the holder's history entry and the <c>cardExpired</c> event. A
/// <see cref="PagedRun"/>: each page takes the next cards from the read model (<see cref="CardsDueLists"/>) and stores its
/// place; the holder's citizen grain decides for each (<see cref="CardsDue.ExpiryToRecord"/>), so a card renewed meanwhile
/// is left alone and a repeated page records nothing twice. Per province and day, never a reminder per card.
/// </summary>
public sealed partial class CardExpirySweepGrain(
    [PersistentState(RegistryStorage.CardExpirySweepState, RegistryStorage.Name)] IPersistentState<CardExpirySweepState> state,
    CardsDueLists lists,
    IOptions<CardExpirySweepOptions> options,
    ILogger<CardExpirySweepGrain> logger)
    : Grain, ICardExpirySweepGrain, IRemindable
{
    private const string ReminderName = "sweep";

    // Citizens asked at once: a sweep runs beside the day's traffic and needs no hurry.
    private const int Concurrency = 32;

    private PagedRun? _run;

    private PagedRun Run => _run ??= new PagedRun(this, ReminderName, options.Value.PagePause, options.Value.ReminderPeriod, NextPageAsync);

    private CardExpirySweepProgress Progress => new(state.State.Done, state.State.Expired, state.State.Pages);

    /// <inheritdoc />
    public async Task<CardExpirySweepProgress> StartAsync()
    {
        if (!state.State.Done)
        {
            await Run.StartAsync();
        }

        return Progress;
    }

    /// <inheritdoc />
    public Task<CardExpirySweepProgress> GetProgressAsync() => Task.FromResult(Progress);

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => state.State.Done ? Run.StopAsync() : Run.StartAsync();

    private async Task<PageOutcome> NextPageAsync(CancellationToken cancellationToken)
    {
        // The key RegistryGrains.CardExpirySweep made: {code}/{yyyy-MM-dd}.
        var key = this.GetPrimaryKeyString();
        var province = key[..3];
        var day = DateOnly.ParseExact(key[4..], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var after = state.State is { AfterExpiresOn: { } expiresOn, AfterDocumentNumber: { } number } ? new CardDueCursor(expiresOn, number) : null;
        var size = options.Value.PageSize;
        var page = await lists.ExpiredIssuedAsync(province, day, after, size, cancellationToken);
        var recorded = (await FanOut.RunAsync(page, Concurrency, card => GrainFactory.Citizen(card.Holder).RecordCardExpiryAsync(card.DocumentNumber)))
            .LongCount(static wasRecorded => wasRecorded);

        state.State = state.State with
        {
            Expired = state.State.Expired + recorded,
            Pages = state.State.Pages + 1,
            AfterExpiresOn = page.Length > 0 ? page[^1].ExpiresOn : state.State.AfterExpiresOn,
            AfterDocumentNumber = page.Length > 0 ? page[^1].DocumentNumber.Value : state.State.AfterDocumentNumber,
            Done = page.Length < size,
        };
        await state.WriteStateAsync(cancellationToken);
        if (!state.State.Done)
        {
            return PageOutcome.More;
        }

        LogSwept(logger, province, day, state.State.Expired, state.State.Pages);
        return PageOutcome.Finished;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Card expiry sweep of {ProvinceCode} on {Day}: {Expired} expiries recorded in {Pages} page(s)")]
    private static partial void LogSwept(ILogger logger, string provinceCode, DateOnly day, long expired, long pages);
}
