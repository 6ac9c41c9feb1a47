namespace Registry.Contracts.Batches;

/// <summary>
/// One uploaded batch, keyed by <see cref="RegistryGrains.BatchKey"/>: works through the batch's pending rows in
/// file order, a chunk per timer tick, and keeps a reminder while it runs so that it carries on after a silo is lost.
/// The rows, their results and the progress live in PostgreSQL, where the API reads them.
/// </summary>
public interface IBatchGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts processing a batch whose rows are all stored, or resumes it; harmless when it is running or done.
    /// </summary>
    /// <returns>The batch's status after the call; null when no batch has this id.</returns>
    Task<BatchStatus?> StartAsync();
}

/// <summary>Where a batch is in its life.</summary>
[GenerateSerializer, Alias("registry.BatchStatus")]
public enum BatchStatus
{
    /// <summary>Rows are being stored; an upload that was interrupted stays here until it is uploaded again.</summary>
    Receiving = 0,

    /// <summary>Every row is stored; processing has not started.</summary>
    Received = 1,

    /// <summary>The batch grain is working through the pending rows.</summary>
    Running = 2,

    /// <summary>Every row has its result.</summary>
    Completed = 3,
}
