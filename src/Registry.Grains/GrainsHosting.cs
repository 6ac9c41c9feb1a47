using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Registry.Database;
using Registry.Grains.Batches;
using Registry.Grains.Cards;
using Registry.Grains.Events;
using Registry.Grains.Provinces;
using Registry.Grains.Reorganisation;
using Registry.Grains.ResidenceSweep;
using Registry.Grains.Residents;
using Registry.Grains.Resumption;

namespace Registry.Grains;

/// <summary>What the registry's grains need from the silo that hosts them.</summary>
public static class GrainsHosting
{
    /// <summary>
    /// Registers everything the grains take in their constructors: the registry's database access, the clock, and
    /// their options, bound from configuration and checked when the silo starts (a bad value refuses start-up with a
    /// message naming its key); then starts the registry's standing work on every silo. The host provides what Orleans
    /// itself needs: clustering, the grain storage <see cref="RegistryStorage.Name"/>, reminders and the event stream.
    /// </summary>
    public static ISiloBuilder AddRegistryGrains(this ISiloBuilder silo, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.AddRegistryDatabase(connectionString);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(ProposalGrain.ClockKey, static (provider, _) => provider.GetRequiredService<TimeProvider>());

        services.AddOptions<UnfinishedWorkOptions>().BindConfiguration(UnfinishedWorkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReorganisationOptions>().BindConfiguration(ReorganisationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ResidenceSweepOptions>().BindConfiguration(ResidenceSweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProposalOptions>().BindConfiguration(ProposalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CardExpirySweepOptions>().BindConfiguration(CardExpirySweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BatchProcessingOptions>().BindConfiguration(BatchProcessingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProvinceCounterOptions>().BindConfiguration(ProvinceCounterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        silo.AddIncomingGrainCallFilter<DatabaseFailures>();

        // Every silo makes sure the publisher runs and the sweeps' reminders exist; asking again is harmless.
        silo.AddStartupTask((provider, _) => provider.GetRequiredService<IGrainFactory>().GetGrain<IEventPublisherGrain>(0).StartAsync());
        silo.AddStartupTask((provider, _) => provider.GetRequiredService<IGrainFactory>().GetGrain<IUnfinishedWorkSweeperGrain>(0).StartAsync());
        silo.AddStartupTask((provider, _) => provider.GetRequiredService<IGrainFactory>().GetGrain<IResidenceSweepSchedulerGrain>(0).StartAsync());
        silo.AddStartupTask((provider, _) => provider.GetRequiredService<IGrainFactory>().GetGrain<ICardExpirySweepSchedulerGrain>(0).StartAsync());
        return silo;
    }
}
