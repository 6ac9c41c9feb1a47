using Registry.Grains.PagedWork;

namespace Registry.Unit.Tests.PagedWork;

/// <summary>
/// The paged-work shape, driven tick by tick through a clock the test holds: the reminder is in place before the first
/// page, a finished run leaves neither timer nor reminder, and a run cut short resumes from its stored progress.
/// </summary>
public sealed class PagedRunTests
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>Reminder first, then the timer; the last page stops the timer and removes the reminder.</summary>
    [Fact]
    public async Task A_run_keeps_its_reminder_before_ticking_and_leaves_nothing_behind_when_finished()
    {
        var clock = new TestClock();
        var work = new StoredWork(items: 25, pageSize: 10);
        var run = work.RunOn(clock);

        await run.StartAsync();
        Assert.Equal(["reminder kept", "timer started"], clock.Events);

        await clock.TickAsync();
        await clock.TickAsync();
        Assert.True(run.IsTicking);
        await clock.TickAsync();

        Assert.False(run.IsTicking);
        Assert.Empty(clock.Reminders);
        Assert.Equal(["reminder kept", "timer started", "timer stopped", "reminder dropped"], clock.Events);
        Assert.Equal(Enumerable.Range(0, 25), work.Done);
    }

    /// <summary>
    /// The silo dies after a page: the reminder survives it and brings a new activation, which starts from the stored
    /// progress, so every item is done once.
    /// </summary>
    [Fact]
    public async Task A_run_cut_short_after_a_page_resumes_from_its_stored_progress_when_its_reminder_fires()
    {
        var clock = new TestClock();
        var work = new StoredWork(items: 25, pageSize: 10);
        await work.RunOn(clock).StartAsync();
        await clock.TickAsync();
        clock.LoseTheSilo();
        Assert.Equal(["reminder"], clock.Reminders);

        // What a grain's ReceiveReminder does: the new activation starts its run again.
        var resumed = work.RunOn(clock);
        await resumed.StartAsync();
        await clock.TickAsync();
        await clock.TickAsync();

        Assert.Equal(Enumerable.Range(0, 25), work.Done);
        Assert.False(resumed.IsTicking);
        Assert.Empty(clock.Reminders);
    }

    /// <summary>A page that fails stores nothing; the run keeps ticking and its reminder, and the next tick does that page.</summary>
    [Fact]
    public async Task A_failed_page_is_done_again_by_the_next_tick()
    {
        var clock = new TestClock();
        var work = new StoredWork(items: 15, pageSize: 10) { FailNextPage = true };
        var run = work.RunOn(clock);
        await run.StartAsync();

        await Assert.ThrowsAsync<TimeoutException>(clock.TickAsync);
        Assert.True(run.IsTicking);
        Assert.Equal(["reminder"], clock.Reminders);
        await clock.TickAsync();
        await clock.TickAsync();

        Assert.Equal(Enumerable.Range(0, 15), work.Done);
        Assert.Empty(clock.Reminders);
    }

    /// <summary>Starting a running run again neither registers the reminder again nor starts a second timer.</summary>
    [Fact]
    public async Task Starting_a_ticking_run_again_changes_nothing()
    {
        var clock = new TestClock();
        var run = new StoredWork(items: 5, pageSize: 10).RunOn(clock);

        await run.StartAsync();
        await run.StartAsync();
        await run.KeepReminderAsync();

        Assert.Equal(["reminder kept", "timer started"], clock.Events);
    }

    /// <summary>Work over numbered items whose progress (the next item) is stored after each page, as a grain's state is.</summary>
    private sealed class StoredWork(int items, int pageSize)
    {
        private int _storedNext;

        public List<int> Done { get; } = [];

        public bool FailNextPage { get; set; }

        public PagedRun RunOn(TestClock clock) => new(clock, "reminder", Pause, ReminderPeriod, NextPageAsync);

        private Task<PageOutcome> NextPageAsync(CancellationToken cancellationToken)
        {
            var page = Enumerable.Range(_storedNext, Math.Min(pageSize, items - _storedNext)).ToArray();
            if (FailNextPage)
            {
                // A citizen call timed out halfway: the page's progress is not stored.
                FailNextPage = false;
                return Task.FromException<PageOutcome>(new TimeoutException());
            }

            Done.AddRange(page);
            _storedNext += page.Length;
            return Task.FromResult(_storedNext == items ? PageOutcome.Finished : PageOutcome.More);
        }
    }

    /// <summary>Reminders that outlive an activation, one timer whose ticks the test calls.</summary>
    private sealed class TestClock : IRunClock
    {
        private Func<CancellationToken, Task>? _tick;

        public List<string> Events { get; } = [];

        public List<string> Reminders { get; } = [];

        public Task KeepReminderAsync(string name, TimeSpan period)
        {
            Assert.Equal(ReminderPeriod, period);
            if (!Reminders.Contains(name))
            {
                Reminders.Add(name);
            }

            Events.Add("reminder kept");
            return Task.CompletedTask;
        }

        public Task DropReminderAsync(string name)
        {
            Reminders.Remove(name);
            Events.Add("reminder dropped");
            return Task.CompletedTask;
        }

        public IDisposable StartTimer(Func<CancellationToken, Task> tick, TimeSpan pause)
        {
            Assert.Equal(Pause, pause);
            Assert.Null(_tick);
            _tick = tick;
            Events.Add("timer started");
            return new Stopper(this);
        }

        public Task TickAsync()
        {
            Assert.NotNull(_tick);
            return _tick(CancellationToken.None);
        }

        /// <summary>The activation is gone with its timer; reminders are in the database and stay.</summary>
        public void LoseTheSilo() => _tick = null;

        private sealed class Stopper(TestClock clock) : IDisposable
        {
            public void Dispose()
            {
                clock._tick = null;
                clock.Events.Add("timer stopped");
            }
        }
    }
}
