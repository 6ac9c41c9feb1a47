using Orleans.Concurrency;
using Registry.Contracts.Access;

namespace Registry.Contracts.Provinces;

/// <summary>
/// The run of one reorganisation plan, keyed by the plan's id (the run's idempotency key). It marks each absorbed
/// province as absorbed (relocations into it are refused from then on), hands its communes to the surviving unit, and
/// moves every living resident's permanent residence to the surviving code, person by person through their citizen
/// grain, while normal traffic goes on. It keeps its place in stored state and a reminder while it runs, so it resumes
/// after a crash; every step is idempotent, so resuming repeats nothing.
/// </summary>
public interface IReorganisationGrain : IGrainWithStringKey
{
    /// <summary>Accepts the plan and starts the run (on its effective date, or now if that has passed).</summary>
    /// <returns>The progress, or why the plan was refused (nothing changed).</returns>
    Task<ReorganisationOutcome> StartAsync(ReorganisationPlan plan, Actor actor);

    /// <summary>The run's progress; null when no plan with this id was started.</summary>
    [ReadOnly]
    Task<ReorganisationProgress?> GetProgressAsync();
}

/// <summary>The units as they stand: the plans accepted so far, in order. One for the registry.</summary>
public interface IProvinceUnitsGrain : IGrainWithIntegerKey
{
    /// <summary>Accepts <paramref name="plan"/> after those accepted before, or says why not; the same plan again is accepted as it was.</summary>
    Task<ReorganisationOutcome?> AcceptAsync(ReorganisationPlan plan);

    /// <summary>The plans accepted so far, in order.</summary>
    [ReadOnly]
    Task<ReorganisationPlan[]> GetPlansAsync();
}

/// <summary>What became of a request to start a plan.</summary>
[GenerateSerializer, Immutable, Alias("registry.ReorganisationOutcome")]
public abstract record ReorganisationOutcome;

/// <summary>The run is started (or was, by an earlier request with the same plan).</summary>
[GenerateSerializer, Immutable, Alias("registry.ReorganisationOutcome.Started")]
public sealed record ReorganisationStarted([property: Id(0)] ReorganisationProgress Progress) : ReorganisationOutcome;

/// <summary>The plan is refused: it does not fit the units as they stand, or another plan was started under its id. Nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("registry.ReorganisationOutcome.Refused")]
public sealed record ReorganisationRefused([property: Id(0)] Refusal Refusal) : ReorganisationOutcome;

/// <summary>Where a run stands.</summary>
[GenerateSerializer, Alias("registry.ReorganisationStatus")]
public enum ReorganisationStatus
{
    /// <summary>Accepted; waiting for its effective date.</summary>
    Scheduled = 0,

    /// <summary>Moving residents.</summary>
    Running = 1,

    /// <summary>Every absorbed province is empty of living residents.</summary>
    Completed = 2,
}

/// <summary>A run's progress.</summary>
/// <param name="PlanId">The plan.</param>
/// <param name="EffectiveOn">Its effective date.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Moved">Residents whose permanent residence moved to the surviving code so far.</param>
/// <param name="StartedAt">When moving began; null while scheduled.</param>
/// <param name="FinishedAt">When the last absorbed province was emptied; null until then.</param>
/// <param name="Provinces">Each absorbed province.</param>
[GenerateSerializer, Immutable, Alias("registry.ReorganisationProgress")]
public sealed record ReorganisationProgress(
    [property: Id(0)] string PlanId,
    [property: Id(1)] DateOnly EffectiveOn,
    [property: Id(2)] ReorganisationStatus Status,
    [property: Id(3)] long Moved,
    [property: Id(4)] DateTimeOffset? StartedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt,
    [property: Id(6)] AbsorbedProvinceProgress[] Provinces);

/// <summary>One absorbed province's part of a run.</summary>
/// <param name="Code">The absorbed code.</param>
/// <param name="Into">The surviving code.</param>
/// <param name="Moved">Its residents moved so far.</param>
/// <param name="Done">True once a pass over its residents found nobody left.</param>
[GenerateSerializer, Immutable, Alias("registry.AbsorbedProvinceProgress")]
public sealed record AbsorbedProvinceProgress(
    [property: Id(0)] string Code,
    [property: Id(1)] string Into,
    [property: Id(2)] long Moved,
    [property: Id(3)] bool Done);

/// <summary>A resident's permanent residence moving from an absorbed code to the surviving one, as part of a plan.</summary>
/// <param name="PlanId">The plan; with the person's number, the change's idempotency key.</param>
/// <param name="From">The absorbed code.</param>
/// <param name="To">The surviving code.</param>
/// <param name="Actor">Who started the plan.</param>
[GenerateSerializer, Immutable, Alias("registry.ProvinceReassignment")]
public sealed record ProvinceReassignment(
    [property: Id(0)] string PlanId,
    [property: Id(1)] string From,
    [property: Id(2)] string To,
    [property: Id(3)] Actor Actor);
