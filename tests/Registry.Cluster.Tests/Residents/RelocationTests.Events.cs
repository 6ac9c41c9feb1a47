using System.Collections.Concurrent;
using Orleans.Streams;
using Registry.Contracts;
using Registry.Contracts.Events;
using Registry.Contracts.Residents;
using Registry.Grains.Events;
using Registry.Silo.Hosting;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Residents;

/// <summary>Events on the registry's stream, as a ministry's subscriber sees them.</summary>
public sealed partial class RelocationTests
{
    /// <summary>A birth, a relocation and a death each reach a subscriber of the stream, with their event ids.</summary>
    [Fact]
    public async Task Births_relocations_and_deaths_reach_subscribers_of_the_stream()
    {
        var received = new ConcurrentDictionary<string, RegistryEvent>();
        var stream = _client.GetStreamProvider(RegistryEvent.StreamProvider)
            .GetStream<RegistryEvent>(StreamId.Create(RegistryEvent.StreamNamespace, RegistryEvent.StreamKey));
        var subscription = await stream.SubscribeAsync((registryEvent, _) =>
        {
            // At least once: a repeated event id is the same event.
            received[registryEvent.EventId] = registryEvent;
            return Task.CompletedTask;
        });
        try
        {
            var newborn = await RegisterNewbornAsync();
            var mover = await RegisterAsync("001");
            var move = Move("079", "26734", "2 Đồng Khởi");
            Assert.IsType<Changed>(await _client.Citizen(mover.PersonalIdNumber).RelocateAsync(move));
            Assert.IsType<Changed>(await _client.RecordApprovedDeathAsync(mover.PersonalIdNumber,
                new RecordDeath("death-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, DateOnly.FromDateTime(DateTime.UtcNow), "Hồ Chí Minh", "KT-4")));
            string[] expected =
            [
                $"registration:{newborn.PersonalIdNumber}",
                $"relocation:{mover.PersonalIdNumber}:{move.IdempotencyKey}",
                $"death:{mover.PersonalIdNumber}",
            ];

            // The publisher follows the ledger every period and the queue is polled every period of its own.
            await Eventually.ValueAsync(
                () => Task.FromResult(expected.Where(received.ContainsKey).ToArray()), got => got.Length == expected.Length,
                Eventually.Within(EventPublisherGrain.PublishPeriod + EventStreamHosting.PollingPeriod), "the subscriber receives the birth, the move and the death");

            Assert.Equal((RegistryEventKind.Birth, "001"), (received[expected[0]].Kind, received[expected[0]].ProvinceCode));
            Assert.Equal((RegistryEventKind.Relocation, "001", "079"), (received[expected[1]].Kind, received[expected[1]].ProvinceCode, received[expected[1]].ToProvinceCode));
            Assert.Equal((RegistryEventKind.Death, "079"), (received[expected[2]].Kind, received[expected[2]].ProvinceCode));
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    private async Task<ResidentRecord> RegisterNewbornAsync()
    {
        var command = new RegisterResident(Guid.NewGuid().ToString("N"), "Em Bé " + Guid.NewGuid().ToString("N")[..6], DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-10)), Sex.Male, "001")
        {
            Actor = TestActors.Administrator,
            ConfirmedNotDuplicate = true,
        };
        return Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident;
    }
}
