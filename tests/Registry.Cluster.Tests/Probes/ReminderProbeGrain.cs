namespace Registry.Cluster.Tests.Probes;

/// <summary>A test-only grain that counts the ticks of one reminder in its stored state.</summary>
public interface IReminderProbeGrain : IGrainWithStringKey
{
    /// <summary>Registers reminder "probe", first due after <paramref name="due"/>, then every <paramref name="period"/>.</summary>
    Task StartAsync(TimeSpan due, TimeSpan period);

    /// <summary>Unregisters the reminder.</summary>
    Task StopAsync();

    /// <summary>Ticks received so far, as stored.</summary>
    Task<int> GetTicksAsync();
}

/// <summary>Stored tick count.</summary>
public sealed record ReminderProbeState(int Ticks)
{
    /// <summary>No tick yet.</summary>
    public ReminderProbeState() : this(0)
    {
    }
}

/// <inheritdoc cref="IReminderProbeGrain" />
public sealed class ReminderProbeGrain(
    [PersistentState("reminderProbe", Grains.RegistryStorage.Name)] IPersistentState<ReminderProbeState> state)
    : Grain, IReminderProbeGrain, IRemindable
{
    private const string ReminderName = "probe";

    /// <inheritdoc />
    public async Task StartAsync(TimeSpan due, TimeSpan period) => await this.RegisterOrUpdateReminder(ReminderName, due, period);

    /// <inheritdoc />
    public async Task StopAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <inheritdoc />
    public async Task<int> GetTicksAsync()
    {
        await state.ReadStateAsync();
        return state.State.Ticks;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State = new ReminderProbeState(state.State.Ticks + 1);
        await state.WriteStateAsync();
    }
}
