using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;
using Orleans.TestingHost;
using Registry.Contracts;
using Registry.Contracts.Events;
using Registry.Contracts.Residents;
using Registry.Grains.Events;
using Registry.Silo.Hosting;
using Registry.TestSupport;
using Xunit.Abstractions;

namespace Registry.Cluster.Tests.Events;

/// <summary>The event stream survives the loss of the silo pulling its queue. The test has a database and a cluster of its own.</summary>
public sealed class EventStreamDurabilityTests(ITestOutputHelper output)
{
    private const int BirthsBeforeKill = 12;
    private const int BirthsAfterKill = 8;

    /// <summary>
    /// A subscriber is held on the first event it gets while the silo running the queue's pulling agent has taken the
    /// published batches from PostgreSQL; that silo is killed. Every event published before and after the kill still
    /// reaches the subscriber, the one it was held on a second time (at least once), and the queue ends empty with no
    /// dead letters: what the killed silo had taken was in PostgreSQL, not only in its memory.
    /// </summary>
    [Fact]
    public async Task Events_taken_by_a_killed_silo_still_reach_the_subscriber()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(EventStreamDurabilityTests));
        var database = scratch.ConnectionString;
        await using var cluster = await RegistryTestCluster.StartAsync(database, silos: 3, fastLiveness: true);
        var client = cluster.Client;
        var agentSilo = await PullingAgentSiloAsync(cluster);

        var received = new ConcurrentDictionary<string, int>();
        var firstEvent = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = client.GetStreamProvider(RegistryEvent.StreamProvider)
            .GetStream<RegistryEvent>(StreamId.Create(RegistryEvent.StreamNamespace, RegistryEvent.StreamKey));
        var subscription = await stream.SubscribeAsync(async (registryEvent, _) =>
        {
            received.AddOrUpdate(registryEvent.EventId, 1, (_, count) => count + 1);
            if (firstEvent.TrySetResult(registryEvent.EventId))
            {
                // Hold the delivery, so that what the agent has taken stays unconfirmed until its silo is gone.
                await release.Task.WaitAsync(TimeSpan.FromSeconds(120));
            }
        });
        try
        {
            var before = await RegisterNewbornsAsync(client, BirthsBeforeKill);
            var held = await firstEvent.Task.WaitAsync(TimeSpan.FromSeconds(60));
            // Every birth published and every queued batch taken by the agent, none confirmed.
            await Eventually.TrueAsync(async () =>
                await TestDatabase.ScalarAsync<long>(database,
                    "SELECT count(*) FROM registry.province_resident_change WHERE reason = 'birth' AND sequence > " +
                    "coalesce((SELECT (convert_from(payloadbinary, 'UTF8')::jsonb ->> 'position')::bigint FROM orleansstorage WHERE graintypestring = 'eventPublisher'), 0)") == 0
                && await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM orleansstreammessage WHERE dequeued = 0") == 0,
                Eventually.Within(EventPublisherGrain.PublishPeriod + EventStreamHosting.PollingPeriod), "every birth is published and taken by the agent");
            var takenAtKill = await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM orleansstreammessage WHERE dequeued > 0");

            var publisherSilo = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(client.GetGrain<IEventPublisherGrain>(0));
            var sinceKill = Stopwatch.StartNew();
            await cluster.KillSiloAsync(agentSilo);
            release.SetResult();
            var after = await RegisterNewbornsAsync(client, BirthsAfterKill);

            string[] expected = [.. before.Concat(after).Select(number => $"registration:{number}")];
            // The publisher may have died with the silo: its reminder brings it back for the later births, and the held
            // batch is offered again after the visibility timeout.
            await Eventually.TrueAsync(() => Task.FromResult(expected.All(received.ContainsKey) && received[held] >= 2),
                EventPublisherGrain.ReminderPeriod * 3 + RegistryTestCluster.EventVisibilityTimeout, "every birth reaches the subscriber, the held one again");
            var deliveredAfter = sinceKill.Elapsed;
            await Eventually.TrueAsync(async () => await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM orleansstreammessage") == 0,
                Eventually.Within(EventStreamHosting.PollingPeriod), "the queue is emptied");
            output.WriteLine($"Killed {agentSilo.SiloAddress} (the publisher was {(agentSilo.SiloAddress.Equals(publisherSilo) ? "on it" : "elsewhere")}) holding {takenAtKill} taken, unconfirmed batch(es); " +
                             $"all {expected.Length} births delivered {deliveredAfter.TotalSeconds:0.0} s later, {received.Values.Count(count => count > 1)} of them more than once.");

            Assert.True(takenAtKill > 0, "The killed silo held no unconfirmed batch; the test proved nothing.");
            Assert.Contains(held, expected);
            Assert.All(expected, eventId => Assert.True(received[eventId] >= 1));
            Assert.Equal(0, await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM orleansstreamdeadletter"));
            Assert.NotEqual(agentSilo.SiloAddress, (await PullingAgentSiloAsync(cluster)).SiloAddress);
        }
        finally
        {
            release.TrySetResult();
            await subscription.UnsubscribeAsync();
        }
    }

    /// <summary>The silo whose pulling agent runs the stream's one queue, once the queues are balanced.</summary>
    private static async Task<SiloHandle> PullingAgentSiloAsync(TestCluster cluster)
    {
        var running = await Eventually.ValueAsync(async () =>
        {
            var running = new List<SiloHandle>();
            foreach (var silo in cluster.Silos)
            {
                var provider = (IControllable)cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredKeyedService<IStreamProvider>(RegistryEvent.StreamProvider);
                if (await provider.ExecuteCommand((int)PersistentStreamProviderCommand.GetNumberRunningAgents, null) is int agents && agents > 0)
                {
                    running.Add(silo);
                }
            }

            return running;
        }, static running => running.Count == 1, Eventually.Within(EventStreamHosting.PollingPeriod), "one silo runs the pulling agent of the one queue");
        return running[0];
    }

    private static async Task<string[]> RegisterNewbornsAsync(IClusterClient client, int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            var command = new RegisterResident(Guid.NewGuid().ToString("N"), "Em Bé " + Guid.NewGuid().ToString("N")[..6], DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-3)), Sex.Female, "048")
            {
                Actor = TestActors.Administrator,
                ConfirmedNotDuplicate = true,
            };
            // Right after a kill, a call can reach a grain on the dead silo before the cluster has declared it dead and
            // time out with an unknown outcome; a caller repeats it with the same key, which registers the person once.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return Assert.IsType<Registered>(await client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident.PersonalIdNumber.Value;
                }
                catch (Exception exception) when (attempt < 5 && TransientFailures.Include(exception))
                {
                }
            }
        }));
}
