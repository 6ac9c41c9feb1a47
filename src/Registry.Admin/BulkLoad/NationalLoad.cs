using System.IO.Pipelines;
using System.Security.Cryptography;
using Npgsql;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Database.BulkLoad;
using Registry.Database.Residents;
using Registry.Domain;
using Registry.Domain.Batches;
using Registry.Domain.BulkLoad;
using Registry.Domain.Residents;
using Registry.Grains;
using Registry.Grains.Identity;
using Registry.Grains.Provinces;
using Registry.Grains.Residents;

namespace Registry.Admin.BulkLoad;

/// <summary>How a load runs.</summary>
/// <param name="ServiceId">The Orleans service id the silos store state under (<c>Orleans:ServiceId</c>).</param>
/// <param name="LoadedBy">The operator's id, recorded as the registering actor of every person loaded.</param>
/// <param name="ChunkRows">Rows per transaction: large enough for COPY to pay, small enough that a crash repeats little.</param>
public sealed record NationalLoadSettings(string ServiceId, string LoadedBy, int ChunkRows = 20_000);

/// <summary>Where a file's load stands.</summary>
/// <param name="LoadId">The load's id (from the file's SHA-256).</param>
/// <param name="RowsDone">Rows of the file with their result.</param>
/// <param name="Applied">People registered by this load.</param>
/// <param name="Duplicates">Rows refused as duplicate candidates.</param>
/// <param name="Rejected">Rows rejected.</param>
/// <param name="Completed">Whether every row has its result.</param>
public sealed record FileLoadProgress(string LoadId, int RowsDone, long Applied, long Duplicates, long Rejected, bool Completed);

/// <summary>
/// The two passes over the files. Every row keeping a number from before the registry is loaded, from every file, before
/// any number is allocated: an allocator's next number is random-looking and may be one that a province has already
/// given somebody in a file not yet loaded, and that person's number is for life (Decree 137/2015). Allocations then skip
/// every kept number, as they skip any number somebody holds.
/// </summary>
public enum LoadPass
{
    /// <summary>Registrations keeping an issued number.</summary>
    KeptNumbers,

    /// <summary>Every other row: registrations without a number (allocated), and rows refused.</summary>
    Allocated,
}

/// <summary>A file the load refuses whole (encoding, CSV header); nothing of it is written.</summary>
public sealed class LoadFileRefusedException(string message) : Exception(message);

/// <summary>
/// The national bulk load of one provincial file (issue 14, item 7): every row read by the daily batches' reader and
/// parser, decided by <see cref="InitialLoad"/> exactly as the registry's registration would decide it, and written a
/// chunk per transaction by <see cref="BulkLoadStore"/>: each person's citizen state as the silo stores it (version 1,
/// the registration as first history entry, effects done), their read-model row, their province's count in the ledger,
/// numbers drawn from the prefixes' allocator states (which then lease them), and every row's result. The load's
/// position moves with its chunk, so a load cut short anywhere resumes after the last chunk committed and registers
/// every row once; the same file again changes nothing.
/// </summary>
public sealed class NationalLoad(NpgsqlDataSource database, NationalLoadSettings settings, TimeProvider time)
{
    private readonly BulkLoadStore _store = new(database);
    private readonly int _citizenTypeHash = StoredGrainKey.StateNameHash(RegistryStorage.CitizenState);
    private readonly int _allocatorTypeHash = StoredGrainKey.StateNameHash(RegistryStorage.AllocatorState);
    // Read once per run; files loaded in parallel may both read it first, and find the same.
    private Dictionary<string, string>? _absorbedInto;

    /// <summary>The id of a pass over a file: its SHA-256, shortened, and the pass.</summary>
    public static string LoadIdOf(string sha256, LoadPass pass) => "load-" + sha256[..32] + (pass == LoadPass.KeptNumbers ? "-k" : "-a");

    /// <summary>
    /// Loads the rows of <paramref name="path"/> that belong to <paramref name="pass"/>, or resumes that; <paramref name="progress"/>
    /// hears after each chunk. Cancelling stops between chunks (what a crash does anywhere, less the rollback).
    /// </summary>
    /// <exception cref="LoadFileRefusedException">The file cannot be read as a batch file; nothing of it is written.</exception>
    public async Task<FileLoadProgress> LoadFileAsync(string path, LoadPass pass, IProgress<FileLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var format = Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".CSV" => BatchFormat.Csv,
            ".NDJSON" or ".JSONL" => BatchFormat.Ndjson,
            _ => throw new LoadFileRefusedException($"{path}: a load file is CSV (.csv) or NDJSON (.ndjson, .jsonl), as daily batches are."),
        };
        var sha256 = await Sha256Async(path, cancellationToken);
        var loadId = LoadIdOf(sha256, pass);
        var begun = await _store.BeginAsync(loadId, Path.GetFileName(path), sha256, settings.LoadedBy, cancellationToken);
        var state = new FileLoadProgress(loadId, begun.RowsDone, begun.Applied, begun.Duplicates, begun.Rejected, begun.Completed);
        progress?.Report(state);
        if (begun.Completed)
        {
            return state;
        }

        _absorbedInto ??= await AbsorptionsAsync(cancellationToken);
        await using var file = File.OpenRead(path);
        var reader = new BatchRecordReader(PipeReader.Create(file), format);
        if (await reader.CheckEncodingAsync(cancellationToken) is { } encoding)
        {
            throw new LoadFileRefusedException($"{path} is {encoding}; a load file is UTF-8.");
        }

        var actor = new Actor(settings.LoadedBy, ActorRole.CentralAdministrator, null);
        var today = VietnamCalendar.Today(time);
        BatchRowParser parser;
        if (format == BatchFormat.Csv)
        {
            var header = await reader.ReadAsync(cancellationToken);
            var (csv, errors) = header?.Text is { } text ? BatchRowParser.ForCsv(loadId, actor, text) : (null, [new(BatchLimits.RowField, "The file is empty.")]);
            parser = csv ?? throw new LoadFileRefusedException($"{path}: {string.Join("; ", errors.Select(static e => $"{e.Field}: {e.Message}"))}");
        }
        else
        {
            parser = BatchRowParser.ForNdjson(loadId, actor);
        }

        // Identical rows of the file are refused as "same as row N", as in a batch; rows done before a resumption count too.
        // Identical rows belong to the same pass.
        var firstWithHash = new Dictionary<string, int>(StringComparer.Ordinal);
        var chunk = new List<ReadRow>(settings.ChunkRows);
        var row = 0;
        while (await reader.ReadAsync(cancellationToken) is { } record)
        {
            row++;
            var parsed = record.Text is { } text ? parser.Parse(row, text, today) : null;
            if (PassOf(parsed) != pass)
            {
                continue;
            }

            if (row <= state.RowsDone)
            {
                if (record.Hash is { } hash)
                {
                    firstWithHash.TryAdd(Convert.ToHexString(hash), row);
                }

                continue;
            }

            chunk.Add(new ReadRow(row, record, parsed));
            if (chunk.Count == settings.ChunkRows)
            {
                // Between chunks only: a chunk is one transaction, which a crash inside rolls back anyway.
                cancellationToken.ThrowIfCancellationRequested();
                state = await LoadChunkOnceAsync(loadId, chunk, firstWithHash, state);
                progress?.Report(state);
                chunk.Clear();
            }
        }

        if (chunk.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            state = await LoadChunkOnceAsync(loadId, chunk, firstWithHash, state);
        }

        await _store.CompleteAsync(loadId, cancellationToken);
        state = state with { Completed = true };
        progress?.Report(state);
        return state;
    }

    private sealed record ReadRow(int Row, BatchRecord Record, ParsedBatchRow? Parsed);

    // A row too long or not UTF-8 has a problem and no text, and is refused in the second pass like every unreadable row.
    private static LoadPass PassOf(ParsedBatchRow? parsed) =>
        parsed is RegistrationRow { Command.IssuedNumber: not null } ? LoadPass.KeptNumbers : LoadPass.Allocated;

    // Two files loaded at once may keep the same number (a person on two provinces' lists) or make the same prefix's first
    // allocator state: the second chunk to write fails on the storage's unique key and nothing of it stays. Decided again,
    // it finds the number held and refuses its row. A deadlock is answered the same way.
    private async Task<FileLoadProgress> LoadChunkOnceAsync(string loadId, List<ReadRow> rows, Dictionary<string, int> firstWithHash, FileLoadProgress state)
    {
        var hashes = new Dictionary<string, int>(firstWithHash, StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var next = await LoadChunkAsync(loadId, rows, hashes, state, CancellationToken.None);
                foreach (var (hash, row) in hashes)
                {
                    firstWithHash.TryAdd(hash, row);
                }

                return next;
            }
            catch (PostgresException conflict) when (attempt < 3 && conflict.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
            {
                hashes = new Dictionary<string, int>(firstWithHash, StringComparer.Ordinal);
            }
        }
    }

    private async Task<FileLoadProgress> LoadChunkAsync(string loadId, List<ReadRow> rows,
        Dictionary<string, int> firstWithHash, FileLoadProgress state, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = VietnamCalendar.Today(time);
        var results = new List<LoadedRowResult>(rows.Count);
        var candidates = new List<LoadCandidate>(rows.Count);
        foreach (var (row, record, parsed) in rows)
        {
            if (record.Problem is { } problem)
            {
                results.Add(Refused(row, BatchRowStatus.Rejected, BatchRowResult.Rejection(BatchLimits.RowField, problem)));
                continue;
            }

            if (firstWithHash.TryGetValue(Convert.ToHexString(record.Hash!), out var earlier))
            {
                var (status, result) = BatchRowOutcomes.SameAs(earlier);
                results.Add(Refused(row, status, result));
                continue;
            }

            firstWithHash[Convert.ToHexString(record.Hash!)] = row;
            var (candidate, rejected) = InitialLoad.Read(parsed!, row, loadId, today);
            if (rejected is not null)
            {
                results.Add(Refused(row, rejected.Status, rejected.Result));
            }
            else
            {
                candidates.Add(candidate!);
            }
        }

        await using var chunk = await _store.OpenChunkAsync(cancellationToken);
        var draws = await DrawNumbersAsync(chunk, candidates, cancellationToken);
        var facts = await FactsAsync(chunk, candidates, draws, cancellationToken);
        var decisions = InitialLoad.Decide(candidates, facts, CurrentProvince,
            prefix => draws.Pools.TryGetValue(prefix, out var pool) && pool.TryDequeue(out var number) ? number : null);

        var people = new List<LoadedPerson>(decisions.Count);
        foreach (var decision in decisions)
        {
            if (decision is LoadAccepted accepted)
            {
                people.Add(Person(accepted, now));
                results.Add(new LoadedRowResult(accepted.RowNumber, BatchRowStatus.Applied, accepted.Number.Value,
                    new BatchRowResult { PersonalIdNumber = accepted.Number.Value }));
            }
            else if (decision is LoadNotApplied refused)
            {
                results.Add(Refused(refused.RowNumber, refused.Status, refused.Result));
            }
        }

        results.Sort(static (a, b) => a.RowNumber.CompareTo(b.RowNumber));
        var allocators = draws.Draws.Values
            .Select(draw => (State: AllocatorRow(draw), Version: draws.Stored.TryGetValue(StoredGrainKey.For(draw.Prefix.Value).N1, out var stored) ? stored.Version : (int?)null))
            .ToArray();
        await chunk.WriteAsync(settings.ServiceId, loadId, people, allocators, results, cancellationToken);
        var duplicates = results.Count(static r => r.Status == BatchRowStatus.DuplicateCandidate);
        var rejectedCount = results.Count(static r => r.Status == BatchRowStatus.Rejected);
        await chunk.CommitAsync(loadId, rows[^1].Row, people.Count, duplicates, rejectedCount, cancellationToken);
        return state with
        {
            RowsDone = rows[^1].Row,
            Applied = state.Applied + people.Count,
            Duplicates = state.Duplicates + duplicates,
            Rejected = state.Rejected + rejectedCount,
        };
    }

    private static LoadedRowResult Refused(int row, BatchRowStatus status, BatchRowResult result) => new(row, status, null, result);

    private sealed record ChunkDraws(
        Dictionary<IdNumberPrefix, PrefixDraw> Draws,
        Dictionary<IdNumberPrefix, Queue<PersonalIdNumber>> Pools,
        IReadOnlyDictionary<long, StoredGrainVersion> Stored,
        IReadOnlySet<PersonalIdNumber> HeldIssued);

    // Numbers for every row that may need one (decisions come after: a refused row's number is a gap), none held by anybody.
    private async Task<ChunkDraws> DrawNumbersAsync(LoadChunk chunk, List<LoadCandidate> candidates, CancellationToken cancellationToken)
    {
        var needed = candidates.Where(static c => c.Request.IssuedNumber is null)
            .GroupBy(static c => IdNumberPrefix.For(c.Request.BirthRegistrationProvince, c.Request.Sex, c.Request.BirthDate))
            .ToDictionary(static g => g.Key, static g => g.Count());
        var stored = await chunk.LockStatesAsync(settings.ServiceId, RegistryStorage.AllocatorState,
            [.. needed.Keys.Select(static prefix => StoredGrainKey.For(prefix.Value).N1)], cancellationToken);
        var draws = needed.Keys.ToDictionary(static prefix => prefix, prefix => new PrefixDraw(prefix,
            stored.TryGetValue(StoredGrainKey.For(prefix.Value).N1, out var row) ? StoredStateJson.Deserialize<AllocatorState>(row.Payload) : null));
        var pools = needed.Keys.ToDictionary(static prefix => prefix, static _ => new Queue<PersonalIdNumber>());
        var issued = candidates.Select(static c => c.Request.IssuedNumber).OfType<PersonalIdNumber>().ToHashSet();
        var heldIssued = await HeldAsync(chunk, issued, cancellationToken);
        var toCheck = needed.SelectMany(pair => draws[pair.Key].Take(pair.Value)).ToList();
        while (toCheck.Count > 0)
        {
            var held = await HeldAsync(chunk, toCheck, cancellationToken);
            var replacements = new List<PersonalIdNumber>();
            foreach (var number in toCheck)
            {
                if (held.Contains(number) || issued.Contains(number))
                {
                    // Kept by somebody (loaded or registered with a number from before the registry): skipped, never handed out.
                    replacements.AddRange(draws[number.Prefix].Take(1));
                }
                else
                {
                    pools[number.Prefix].Enqueue(number);
                }
            }

            toCheck = replacements;
        }

        return new ChunkDraws(draws, pools, stored, heldIssued);
    }

    private async Task<IReadOnlySet<PersonalIdNumber>> HeldAsync(LoadChunk chunk, IReadOnlyCollection<PersonalIdNumber> numbers, CancellationToken cancellationToken)
    {
        var held = await chunk.StoredKeysAsync(settings.ServiceId, RegistryStorage.CitizenState,
            [.. numbers.Select(static number => StoredGrainKey.For(number.Value).N1)], cancellationToken);
        return numbers.Where(number => held.Contains(StoredGrainKey.For(number.Value).N1)).ToHashSet();
    }

    private static async Task<RegistryFacts> FactsAsync(LoadChunk chunk, List<LoadCandidate> candidates, ChunkDraws draws, CancellationToken cancellationToken)
    {
        var links = candidates.SelectMany(static c => c.Request.Family.Declared().Select(static link => link.Number)).ToHashSet();
        var unknown = await chunk.UnknownAsync(links, cancellationToken);
        var found = await chunk.DuplicateCandidatesAsync(
            [.. candidates.Where(static c => !c.Request.ConfirmedNotDuplicate).Select(static c => (c.Request.FullName, c.Request.BirthDate, c.Request.BirthRegistrationProvince))],
            cancellationToken);
        var byKey = found.GroupBy(static c => InitialLoad.DuplicateKey(c.FullName, c.BirthDate, c.BirthRegistrationProvince), StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static g => (IReadOnlyList<Contracts.Residents.DuplicateCandidate>)[.. g.OrderBy(static c => c.PersonalIdNumber.Value, StringComparer.Ordinal)],
                StringComparer.Ordinal);
        return new RegistryFacts(draws.HeldIssued, unknown, byKey);
    }

    // The state the registration would have left once its effects ran: stored at version 1 with nothing owed, since the
    // count and the read-model row are written in the same transaction.
    private LoadedPerson Person(LoadAccepted accepted, DateTimeOffset now)
    {
        var record = RegistrationRules.NewRecord(accepted.Request, accepted.Number, CurrentProvince(accepted.Request.BirthRegistrationProvince), now);
        var first = RegistrationRules.FirstEntry(accepted.Request, record);
        var state = CitizenState.Registered(record, first) with
        {
            PendingCounts = [], ProjectionPending = false, ChangedAt = now, HistoryWritten = 1,
        };
        var key = StoredGrainKey.For(accepted.Number.Value);
        return new LoadedPerson(
            new StoredGrainState(key.IdHash, key.N0, key.N1, _citizenTypeHash, RegistryStorage.CitizenState, key.Extension, StoredStateJson.Serialize(state)),
            new ResidentSnapshot(record, state.Version, null, now),
            RegistrationRules.CountOwed(record),
            new ResidentHistoryEntry(accepted.Number, 0, first));
    }

    private StoredGrainState AllocatorRow(PrefixDraw draw)
    {
        var key = StoredGrainKey.For(draw.Prefix.Value);
        return new StoredGrainState(key.IdHash, key.N0, key.N1, _allocatorTypeHash, RegistryStorage.AllocatorState, key.Extension, StoredStateJson.Serialize(draw.State));
    }

    // As the registration grain asks the province: a person lives in the unit their birth province belongs to now.
    private string CurrentProvince(string code)
    {
        while (_absorbedInto!.TryGetValue(code, out var into))
        {
            code = into;
        }

        return code;
    }

    private async Task<Dictionary<string, string>> AbsorptionsAsync(CancellationToken cancellationToken)
    {
        var absorbed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, _, payload) in await _store.ReadStatesAsync(settings.ServiceId, RegistryStorage.ProvinceState, cancellationToken))
        {
            if (StoredStateJson.Deserialize<ProvinceState>(payload).AbsorbedBy is { } absorption)
            {
                absorbed[absorption.Code] = absorption.Into;
            }
        }

        return absorbed;
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
