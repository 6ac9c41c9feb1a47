namespace Registry.Grains.PagedWork;

/// <summary>The reminder and the timer a <see cref="PagedRun"/> needs from its grain; tests drive the ticks themselves.</summary>
public interface IRunClock
{
    /// <summary>Registers (or keeps) the reminder <paramref name="name"/>, firing every <paramref name="period"/>.</summary>
    Task KeepReminderAsync(string name, TimeSpan period);

    /// <summary>Removes the reminder <paramref name="name"/> if it exists.</summary>
    Task DropReminderAsync(string name);

    /// <summary>Starts a timer calling <paramref name="tick"/> now and then <paramref name="pause"/> after each tick ends; disposing it stops it.</summary>
    IDisposable StartTimer(Func<CancellationToken, Task> tick, TimeSpan pause);
}

/// <summary>A grain's own reminder service and grain timer.</summary>
internal sealed class GrainRunClock(IGrainBase grain) : IRunClock
{
    public async Task KeepReminderAsync(string name, TimeSpan period) => await grain.RegisterOrUpdateReminder(name, period, period);

    public async Task DropReminderAsync(string name)
    {
        if (await grain.GetReminder(name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }

    // Not interleaved: a tick is a turn like a call. Keep-alive: the activation must not be collected as idle between
    // pages while the run lasts.
    public IDisposable StartTimer(Func<CancellationToken, Task> tick, TimeSpan pause) =>
        grain.RegisterGrainTimer(tick, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = pause, KeepAlive = true });
}
