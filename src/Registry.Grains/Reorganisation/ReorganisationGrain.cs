using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Database.Residents;
using Registry.Domain;
using Registry.Domain.Provinces;
using Registry.Grains.PagedWork;

namespace Registry.Grains.Reorganisation;

/// <summary>Stored state of a reorganisation run: the plan, who started it, and where each absorbed province stands.</summary>
public sealed record ReorganisationState
{
    /// <summary>The plan; null while nothing was started under this id.</summary>
    public ReorganisationPlan? Plan { get; init; }

    /// <summary>Who started it; recorded in every moved resident's history.</summary>
    public Actor? StartedBy { get; init; }

    /// <summary>Where the run stands.</summary>
    public ReorganisationStatus Status { get; init; }

    /// <summary>When moving began.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the last absorbed province was emptied.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Each absorbed province, in the plan's order.</summary>
    public IReadOnlyList<AbsorbedProvinceRun> Provinces { get; init; } = [];
}

/// <summary>One absorbed province's part of a run.</summary>
/// <param name="Code">The absorbed code.</param>
/// <param name="Into">The surviving code.</param>
/// <param name="Absorbed">True once the province grain is marked absorbed and its communes handed over.</param>
/// <param name="After">The last number of the current pass over its residents; null at the start of a pass.</param>
/// <param name="MovedThisPass">Residents moved in the current pass: a pass that moves nobody ends the province's part.</param>
/// <param name="Moved">Residents moved in all passes.</param>
/// <param name="Done">True once a whole pass found nobody to move.</param>
public sealed record AbsorbedProvinceRun(string Code, string Into, bool Absorbed, PersonalIdNumber? After, long MovedThisPass, long Moved, bool Done);

/// <summary>
/// Runs one reorganisation plan (see <see cref="IReorganisationGrain"/>) as a <see cref="PagedRun"/>. A page takes the
/// first absorbed province not done: marks it absorbed and hands its communes over (once), then moves a page of its
/// living residents (from the read model, in number order) through their citizen grains, and stores its place. A pass
/// that reaches the end having moved somebody starts another, for people who moved in while it ran; a pass that moves
/// nobody ends the province's part. Citizens check that the person still lives in the absorbed province, so a repeated
/// page moves nobody twice.
/// </summary>
public sealed partial class ReorganisationGrain(
    [PersistentState(RegistryStorage.ReorganisationState, RegistryStorage.Name)] IPersistentState<ReorganisationState> state,
    ResidentCensus census,
    IOptions<ReorganisationOptions> options,
    TimeProvider time,
    ILogger<ReorganisationGrain> logger)
    : Grain, IReorganisationGrain, IRemindable
{
    private const string ReminderName = "run";

    private PagedRun? _run;

    private ReorganisationState State => state.State;

    private PagedRun Run => _run ??= new PagedRun(this, ReminderName, PagedRun.ShortPause, options.Value.ReminderPeriod, TickAsync);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        State.Plan is not null && State.Status != ReorganisationStatus.Completed ? ContinueAsync() : Task.CompletedTask;

    /// <inheritdoc />
    public async Task<ReorganisationOutcome> StartAsync(ReorganisationPlan plan, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(actor);
        if (plan.Id != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"Plan '{plan.Id}' sent to the run of '{this.GetPrimaryKeyString()}'.", nameof(plan));
        }

        if (State.Plan is { } started)
        {
            return started == plan ? new ReorganisationStarted(Progress()) : new ReorganisationRefused(ReorganisationPlans.IdTaken(plan.Id));
        }

        if (await GrainFactory.GetGrain<IProvinceUnitsGrain>(0).AcceptAsync(plan) is { } refused)
        {
            return refused;
        }

        await state.StoreOrReloadAsync(this, new ReorganisationState
        {
            Plan = plan,
            StartedBy = actor,
            Status = ReorganisationStatus.Scheduled,
            Provinces = [.. plan.Mergers.SelectMany(merger => merger.AbsorbedCodes.Select(code => new AbsorbedProvinceRun(code, merger.SurvivingCode, false, null, 0, 0, false)))],
        });
        await ContinueAsync();
        return new ReorganisationStarted(Progress());
    }

    /// <inheritdoc />
    public Task<ReorganisationProgress?> GetProgressAsync() => Task.FromResult(State.Plan is null ? null : Progress());

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => ContinueAsync();

    private async Task ContinueAsync()
    {
        if (State.Status == ReorganisationStatus.Completed)
        {
            await Run.StopAsync();
        }
        else if (VietnamCalendar.Today(time) >= State.Plan!.EffectiveOn)
        {
            await Run.StartAsync();
        }
        else
        {
            // Not its day yet: the reminder alone, to look again.
            await Run.KeepReminderAsync();
        }
    }

    private async Task<PageOutcome> TickAsync(CancellationToken cancellationToken)
    {
        if (State.Status == ReorganisationStatus.Scheduled)
        {
            // The plan's units are current from now: a commune list held for them comes into force in every province.
            await Task.WhenAll(ProvinceCatalog.All2024.Select(province => GrainFactory.Province(province.Code).ReloadCommuneListAsync()));
            state.State = State with { Status = ReorganisationStatus.Running, StartedAt = time.GetUtcNow() };
        }

        var index = State.Provinces.ToList().FindIndex(static province => !province.Done);
        if (index < 0)
        {
            state.State = State with { Status = ReorganisationStatus.Completed, FinishedAt = time.GetUtcNow() };
            await state.WriteStateAsync(cancellationToken);
            var total = State.Provinces.Sum(static province => province.Moved);
            LogCompleted(logger, State.Plan!.Id, total);
            return PageOutcome.Finished;
        }

        var province = State.Provinces[index];
        if (!province.Absorbed)
        {
            var absorption = new ProvinceAbsorption(province.Code, province.Into, State.Plan!.Id, State.Plan.EffectiveOn);
            foreach (var commune in await GrainFactory.Province(province.Code).AbsorbAsync(absorption))
            {
                await GrainFactory.Province(province.Into).SetCommuneAsync(commune);
            }

            province = province with { Absorbed = true };
        }

        var page = await census.ListLivingResidentsAsync(province.Code, province.After, options.Value.PageSize, cancellationToken);
        var reassignment = new ProvinceReassignment(State.Plan!.Id, province.Code, province.Into, State.StartedBy!);
        var moved = (await FanOut.RunAsync(page, options.Value.Concurrency, number => GrainFactory.Citizen(number).ReassignProvinceAsync(reassignment)))
            .LongCount(static wasMoved => wasMoved);

        province = page.Length > 0
            ? province with { After = page[^1], MovedThisPass = province.MovedThisPass + moved, Moved = province.Moved + moved }
            // End of a pass: another one if this one moved anybody (people may have moved in meanwhile), else done.
            : province with { After = null, MovedThisPass = 0, Done = province.MovedThisPass == 0 };
        state.State = State with { Provinces = [.. State.Provinces.Select((run, i) => i == index ? province : run)] };
        await state.WriteStateAsync(cancellationToken);
        return PageOutcome.More;
    }

    private ReorganisationProgress Progress() => new(
        State.Plan!.Id,
        State.Plan.EffectiveOn,
        State.Status,
        State.Provinces.Sum(static province => province.Moved),
        State.StartedAt,
        State.FinishedAt,
        [.. State.Provinces.Select(static province => new AbsorbedProvinceProgress(province.Code, province.Into, province.Moved, province.Done))]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reorganisation {PlanId} completed: {Moved} resident(s) moved")]
    private static partial void LogCompleted(ILogger logger, string planId, long moved);
}
