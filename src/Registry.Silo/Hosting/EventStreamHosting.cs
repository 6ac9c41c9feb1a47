using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Registry.Contracts.Events;
using Registry.ServiceDefaults;

namespace Registry.Silo.Hosting;

/// <summary>
/// The stream the registry's events go out on (<see cref="RegistryEvent.StreamProvider"/>): Orleans' ADO.NET stream
/// provider on the registry's PostgreSQL (migration 0014), so that a published batch is a row in
/// <c>orleansstreammessage</c> until a pulling agent has delivered it to every subscriber and confirmed it. A silo that
/// dies with rows it has taken but not confirmed loses nothing: they become visible again after
/// <see cref="AdoNetStreamOptions.VisibilityTimeout"/> and the silo that takes over the queue delivers them again.
/// Delivery is at least once; subscribers deduplicate by <see cref="RegistryEvent.EventId"/>.
/// </summary>
public static class EventStreamHosting
{
    /// <summary>
    /// Queues of the provider. Every event goes on one stream (<c>registry</c>/<c>events</c>) and a stream maps to
    /// one queue, so further queues would never carry an event and would only add pulling agents, each polling
    /// PostgreSQL; one queue also hands the batches out in the order they were published. A client that publishes on
    /// this provider must use the same count (the client default, 1), or its rows land in a queue nobody reads.
    /// </summary>
    public const int Queues = 1;

    /// <summary>
    /// How often the queue's pulling agent polls PostgreSQL. The publisher sends at most one batch (up to 500 events)
    /// per 500 ms tick, more only while catching up, so 4 polls a second keep up with a few hundred events per second
    /// with room to spare, add at most a quarter of a second to an event's way, and cost one indexed query each.
    /// </summary>
    public static readonly TimeSpan PollingPeriod = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Batches the pulling agent holds in memory. A batch leaves the cache (and is confirmed) once every subscriber
    /// has had it; while a slow subscriber holds the cache full, the agent stops taking rows and the events wait in
    /// PostgreSQL, not in the silo's memory: at most 256 batches of at most 500 events. It takes up to a tenth of
    /// this per poll: 25 batches, far beyond the registry's peak.
    /// </summary>
    public const int CachedBatches = 256;

    /// <summary>
    /// Adds the <see cref="RegistryEvent.StreamProvider"/> stream provider on the registry's PostgreSQL, its timings
    /// bound from <see cref="EventStreamOptions.Section"/> and checked when the silo starts.
    /// </summary>
    public static ISiloBuilder AddRegistryEventStream(this ISiloBuilder silo, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddOptions<EventStreamOptions>().BindConfiguration(EventStreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return silo.AddAdoNetStreams(RegistryEvent.StreamProvider, stream =>
        {
            stream.ConfigureAdoNet(options => options.Configure<IOptions<EventStreamOptions>>((adoNet, timings) =>
            {
                timings.Value.ApplyTo(adoNet);
                adoNet.Invariant = RegistryDatabase.Invariant;
                adoNet.ConnectionString = connectionString;
            }));
            stream.ConfigurePartitioning(Queues);
            stream.ConfigureCache(CachedBatches);
            stream.ConfigurePullingAgent(options => options.Configure(agent => agent.GetQueueMsgsTimerPeriod = PollingPeriod));
        });
    }
}
