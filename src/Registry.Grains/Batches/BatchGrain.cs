using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Registry.Contracts;
using Registry.Contracts.Batches;
using Registry.Contracts.Identity;
using Registry.Database.Batches;
using Registry.Database.Telemetry;
using Registry.Domain.Batches;
using Registry.Domain;
using Registry.Grains.PagedWork;

namespace Registry.Grains.Batches;

/// <summary>
/// Works through one batch as a <see cref="PagedRun"/>: each page reads a chunk of pending rows in file order, parses
/// them, sends each registration to its registration grain and each amendment to its citizen grain (keyed by the row's
/// operation id, so a row processed again after a crash has the effect of once), and writes the chunk's results in one
/// round trip. The run's reminder brings it back on another silo if this one is lost. The grain holds no state of its
/// own: the batch's rows and status in PostgreSQL are the state and the progress.
/// </summary>
public sealed partial class BatchGrain(
    BatchRows rows,
    IOptions<BatchProcessingOptions> options,
    TimeProvider time,
    ILogger<BatchGrain> logger)
    : Grain, IBatchGrain, IRemindable
{
    private const string ReminderName = "batch-processing";

    private readonly BatchProcessingOptions _options = options.Value;
    private string _batchId = "";
    private BatchRowParser? _parser;
    private PagedRun? _run;
    private TimeSpan _backoff;
    private DateTimeOffset _pausedUntil;

    private PagedRun Run => _run ??= new PagedRun(this, ReminderName, _options.TickInterval, _options.ReminderPeriod, TickAsync);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _batchId = this.GetPrimaryKeyString()["batch:".Length..];
        // Reactivated by its reminder or a call after a silo was lost: carry on where the rows say it stopped.
        if (await rows.FindAsync(_batchId, cancellationToken) is { Status: BatchStatus.Running } batch)
        {
            await StartTickingAsync(batch);
        }
    }

    /// <inheritdoc />
    public async Task<BatchStatus?> StartAsync()
    {
        if (await rows.FindAsync(_batchId) is not { } batch)
        {
            return null;
        }

        if (batch.Status is BatchStatus.Receiving or BatchStatus.Completed)
        {
            return batch.Status;
        }

        // The reminder first: once the batch is marked running, something must always bring it back.
        await Run.KeepReminderAsync();
        var status = await rows.MarkRunningAsync(_batchId);
        if (status == BatchStatus.Running)
        {
            if (batch.Status == BatchStatus.Received)
            {
                LogStarted(logger, _batchId, batch.Uploader.Id);
            }

            await StartTickingAsync(batch with { Status = BatchStatus.Running });
        }

        return status;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        var batch = await rows.FindAsync(_batchId);
        if (batch is null or { Status: BatchStatus.Completed })
        {
            await Run.StopAsync();
        }
        else if (batch.Status is BatchStatus.Received or BatchStatus.Running && !Run.IsTicking)
        {
            // Not ticking: the upload's start call was lost, or the timer stopped; resume.
            await StartAsync();
        }
    }

    private async Task StartTickingAsync(BatchDescription batch)
    {
        if (Run.IsTicking)
        {
            return;
        }

        _parser = batch.Format == BatchFormat.Csv
            ? BatchRowParser.ForCsv(batch.BatchId, batch.Uploader, batch.CsvHeader!).Parser
                ?? throw new InvalidOperationException($"Batch {batch.BatchId} has a stored CSV header that is not valid.")
            : BatchRowParser.ForNdjson(batch.BatchId, batch.Uploader);
        await Run.StartAsync();
    }

    private async Task<PageOutcome> TickAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() < _pausedUntil)
        {
            return PageOutcome.More;
        }

        var pending = await rows.ReadPendingAsync(_batchId, _options.ChunkSize, cancellationToken);
        if (pending.Count == 0)
        {
            if (await rows.TryCompleteAsync(_batchId, cancellationToken))
            {
                LogCompleted(logger, _batchId);
            }

            return PageOutcome.Finished;
        }

        var results = await ProcessAsync(pending);
        var done = results.Where(result => result.Status != BatchRowStatus.Pending).ToArray();
        await rows.WriteResultsAsync(_batchId, done, cancellationToken);
        foreach (var (status, count) in done.CountBy(static row => row.Status))
        {
            RegistryMetrics.BatchRowsDone(status, count);
        }

        LogChunk(logger, _batchId, pending[0].RowNumber, pending[^1].RowNumber, done.Length, pending.Count - done.Length);

        // Every row failed transiently: the cluster is in trouble (a silo just died); give it time instead of spinning.
        _backoff = done.Length > 0 ? TimeSpan.Zero : _backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        _pausedUntil = time.GetUtcNow() + _backoff;
        return PageOutcome.More;
    }

    /// <summary>
    /// Processes a chunk with at most <see cref="BatchProcessingOptions.Concurrency"/> rows in flight, started in file
    /// order. A row touching a person waits for the chunk's earlier rows touching that person: an amendment must see the
    /// registration or the amendment before it. Those rows started before it, so the wait always ends.
    /// </summary>
    private async Task<ProcessedRow[]> ProcessAsync(IReadOnlyList<PendingRow> chunk)
    {
        var today = VietnamCalendar.Today(time);
        var outcomes = new TaskCompletionSource<ProcessedRow>[chunk.Count];
        var lastTouching = new Dictionary<PersonalIdNumber, Task<ProcessedRow>>();
        var work = new (PendingRow Row, ParsedBatchRow? Parsed, Task<ProcessedRow>[] Before)[chunk.Count];
        for (var i = 0; i < chunk.Count; i++)
        {
            outcomes[i] = new TaskCompletionSource<ProcessedRow>(TaskCreationOptions.RunContinuationsAsynchronously);
            // Identical content is the same request sent twice: applying it again would repeat an amendment or
            // register the person twice under two operation ids.
            var parsed = chunk[i].SameAsRow is null ? _parser!.Parse(chunk[i].RowNumber, chunk[i].Text, today) : null;
            var people = parsed?.People ?? [];
            work[i] = (chunk[i], parsed, [.. people.Select(person => lastTouching.GetValueOrDefault(person)).OfType<Task<ProcessedRow>>().Distinct()]);
            foreach (var person in people)
            {
                lastTouching[person] = outcomes[i].Task;
            }
        }

        return await FanOut.RunAsync(Enumerable.Range(0, chunk.Count).ToArray(), _options.Concurrency, async i =>
        {
            var (row, parsed, before) = work[i];
            try
            {
                var processed = parsed is null
                    ? SameAs(row)
                    : await RunAsync(row.RowNumber, parsed, before);
                outcomes[i].SetResult(processed);
                return processed;
            }
            catch (Exception ex)
            {
                // Rows waiting on this one must not wait forever.
                outcomes[i].SetException(ex);
                throw;
            }
        });
    }

    private static ProcessedRow SameAs(PendingRow row)
    {
        var (status, result) = BatchRowOutcomes.SameAs(row.SameAsRow!.Value);
        return new ProcessedRow(row.RowNumber, status, result);
    }

    private async Task<ProcessedRow> RunAsync(int rowNumber, ParsedBatchRow parsed, Task<ProcessedRow>[] before)
    {
        if (before.Length > 0 && (await Task.WhenAll(before)).Any(row => row.Status == BatchRowStatus.Pending))
        {
            // An earlier row about the same person is left for the next round; so is this one, to keep file order.
            return Deferred(rowNumber);
        }

        try
        {
            var (status, result) = parsed switch
            {
                UnreadableRow unreadable => (BatchRowStatus.Rejected, new BatchRowResult { Errors = unreadable.Errors }),
                RegistrationRow registration => BatchRowOutcomes.From(
                    await GrainFactory.Registration(registration.Command.IdempotencyKey).RegisterAsync(registration.Command)),
                AmendmentRow amendment => BatchRowOutcomes.From(
                    await GrainFactory.Citizen(amendment.PersonalIdNumber).AmendAsync(amendment.Command)),
                _ => throw new InvalidOperationException($"Unknown parsed row {parsed.GetType().Name}."),
            };
            return new ProcessedRow(rowNumber, status, result);
        }
        catch (Exception ex) when (ex is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or RegistryDatabaseUnavailableException)
        {
            // The outcome is unknown; the row's operation id makes the next attempt safe. A database that did not answer
            // (an exhausted pool, too many clients) is such a case too: the row may have been registered before the
            // failure, so rejecting it would report a registered person as refused (seen with 63 day files at once).
            LogDeferred(logger, _batchId, rowNumber, ex.GetType().Name);
            return Deferred(rowNumber);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, _batchId, rowNumber);
            return new ProcessedRow(rowNumber, BatchRowStatus.Rejected,
                BatchRowResult.Rejection(BatchLimits.RowField, $"The registry could not process the row: {ex.Message}"));
        }
    }

    private static ProcessedRow Deferred(int rowNumber) => new(rowNumber, BatchRowStatus.Pending, new BatchRowResult());

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} started, uploaded by {Uploader}")]
    private static partial void LogStarted(ILogger logger, string batchId, string uploader);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} completed: every row has its result")]
    private static partial void LogCompleted(ILogger logger, string batchId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch {BatchId} rows {First}–{Last}: {Done} done, {Deferred} left for the next round")]
    private static partial void LogChunk(ILogger logger, string batchId, int first, int last, int done, int deferred);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchId} row {RowNumber} deferred after a transient failure ({Failure})")]
    private static partial void LogDeferred(ILogger logger, string batchId, int rowNumber, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {BatchId} row {RowNumber} failed and is rejected")]
    private static partial void LogFailed(ILogger logger, Exception exception, string batchId, int rowNumber);
}
