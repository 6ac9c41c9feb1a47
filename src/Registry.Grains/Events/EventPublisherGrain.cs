using Microsoft.Extensions.Logging;
using Registry.Contracts.Events;
using Registry.Database.Events;
using Registry.Database.Telemetry;

namespace Registry.Grains.Events;

/// <summary>Publishes the registry's events; one for the cluster.</summary>
public interface IEventPublisherGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the publisher runs; every silo calls it when it starts.</summary>
    Task StartAsync();
}

/// <summary>Stored state of the publisher: how far in the ledger it has published.</summary>
public sealed record EventPublisherState
{
    /// <summary>The ledger sequence of the last row published.</summary>
    public long Position { get; init; }
}

/// <summary>
/// Follows the province ledger (<see cref="EventFeed"/>) and publishes its births, deaths, relocations and
/// reorganisations on the registry's stream (<see cref="RegistryEvent.StreamNamespace"/>), then stores its position.
/// Why every event reaches every subscriber at least once:
/// <list type="bullet">
/// <item>The ledger holds each event once, under its operation id (the event id), before the change is acknowledged.</item>
/// <item>The stream is Orleans' ADO.NET stream provider: <c>OnNextBatchAsync</c> returns once the batch is a committed
/// row of <c>orleansstreammessage</c> in PostgreSQL. Only then does the position move on, so a crash in between
/// publishes the batch again (a duplicate, never a gap).</item>
/// <item>A row is deleted only when the silo pulling the queue has delivered it to every subscriber and confirmed it. A
/// silo that dies before confirming leaves the row, which is offered again after the visibility timeout and delivered
/// by the silo that takes over the queue, again to subscribers that had some of it already.</item>
/// </list>
/// So subscribers deduplicate by <see cref="RegistryEvent.EventId"/>. Subscriptions (stored in PostgreSQL) receive
/// what is published while they exist; a row handed out five times without a confirmation, or undelivered for a day,
/// moves to <c>orleansstreamdeadletter</c>, and <c>GET /events?after=</c> replays the ledger for anything a subscriber
/// missed. A reminder keeps the publisher running (on another silo within its minute when its silo dies); a timer paces it.
/// </summary>
public sealed partial class EventPublisherGrain(
    [PersistentState(RegistryStorage.EventPublisherState, RegistryStorage.Name)] IPersistentState<EventPublisherState> state,
    EventFeed feed,
    TimeProvider time,
    ILogger<EventPublisherGrain> logger)
    : Grain, IEventPublisherGrain, IRemindable
{
    /// <summary>How often the publisher reads the ledger for new events: the events' delay behind the ledger when it runs.</summary>
    public static readonly TimeSpan PublishPeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>How soon the publisher is back after its silo died: the reminder that keeps it running.</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private const int BatchSize = 500;

    private IGrainTimer? _timer;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _timer = this.RegisterGrainTimer(PublishAsync, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = PublishPeriod, KeepAlive = true });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StartAsync() =>
        await this.RegisterOrUpdateReminder("publish", ReminderPeriod, ReminderPeriod);

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(RegistryEvent.StreamProvider).GetStream<RegistryEvent>(StreamId.Create(RegistryEvent.StreamNamespace, RegistryEvent.StreamKey));
        while (!cancellationToken.IsCancellationRequested)
        {
            var (events, position) = await feed.ReadAsync(state.State.Position, BatchSize, cancellationToken);
            if (position == state.State.Position)
            {
                return;
            }

            if (events.Length > 0)
            {
                await stream.OnNextBatchAsync(events);
                // Committed to the stream's queue now: how long after its recording a subscriber could first see each.
                var publishedAt = time.GetUtcNow();
                foreach (var published in events)
                {
                    RegistryMetrics.EventPublished(publishedAt - published.RecordedAt);
                }
            }

            state.State = state.State with { Position = position };
            await state.WriteStateAsync(cancellationToken);
            LogPublished(logger, events.Length, position);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published {Count} registry event(s) up to ledger row {Position}")]
    private static partial void LogPublished(ILogger logger, int count, long position);
}
