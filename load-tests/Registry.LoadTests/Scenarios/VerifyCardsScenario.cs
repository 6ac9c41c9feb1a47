using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Contracts.Access;
using Registry.LoadTests.Running;
using Registry.Tokens;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// Partners verifying cards through the API (<c>POST /card-verifications</c>): a pool of people is registered and given
/// issued cards first (not measured), each card's printed zone and QR code read back, and partners set up with a policy
/// allowing verifications; then every request verifies a random card of the pool by its document number, its zone or
/// its QR code, as a partner, and expects "valid". Each partner's budget is its policy's rate (at most 1,000 a second),
/// so the workers are spread over several partners to measure the API, not the rate limiter.
/// </summary>
internal sealed class VerifyCardsScenario(int poolSize, string presentedBy, int partners, string signingKeyFile) : ILoadScenario<VerifyCardsScenario.Worker>
{
    public const string ScenarioName = "verify-cards";

    public const string ScenarioDescription =
        "Issues cards to a pool of people first (not measured), then each request verifies a random one as a partner (POST /card-verifications) by number, MRZ or QR.";

    /// <summary>Where <c>cluster-config/up.sh</c> keeps the key that signs the local cluster's tokens, relative to the repository root.</summary>
    public const string SigningKeyFile = ".local/run/signing-key";

    private const string Purpose = "banking-kyc";

    private readonly List<PresentedCard> pool = [];
    private readonly List<HttpClient> partnerClients = [];

    public string Name => ScenarioName;

    public string Description => ScenarioDescription;

    public static Command CreateCommand()
    {
        var poolOption = new Option<int>("--cards") { Description = "Cards issued before the run and verified during it.", DefaultValueFactory = static _ => 200 };
        ScenarioCommand.MustBeWithin(poolOption, 1, 10_000);
        var byOption = new Option<string>("--by") { Description = "How a card is presented: number, mrz or qr.", DefaultValueFactory = static _ => "mrz" };
        byOption.AcceptOnlyFromAmong("number", "mrz", "qr");
        var partnersOption = new Option<int>("--partners") { Description = "Partners the workers are spread over, each with its own rate budget.", DefaultValueFactory = static _ => 32 };
        ScenarioCommand.MustBeWithin(partnersOption, 1, 1_000);
        var keyOption = new Option<string>("--signing-key-file")
        {
            Description = $"The key that signs the cluster's tokens, to mint the partners' tokens. Default: {SigningKeyFile}, written by cluster-config/up.sh.",
            DefaultValueFactory = static _ => SigningKeyFile,
        };
        return ScenarioCommand.Create(new ApiTarget(), ScenarioName, ScenarioDescription,
            parse => new VerifyCardsScenario(parse.GetValue(poolOption), parse.GetValue(byOption)!, parse.GetValue(partnersOption), parse.GetValue(keyOption)!),
            poolOption, byOption, partnersOption, keyOption);
    }

    public async ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var http = context.Http;
        var keys = new IdempotencyKeys(context.RunId, "cards");
        var names = new ResidentGenerator(context.RandomFor(-1), ResidentGenerator.Yesterday());
        var random = context.RandomFor(-2);
        for (var i = 0; i < poolSize; i++)
        {
            var female = random.Next(2) == 0;
            var person = await SendAsync(http, HttpMethod.Post, "residents", keys.Next(), new JsonObject
            {
                ["fullName"] = names.NextFullName(female),
                ["birthDate"] = new DateOnly(1950, 1, 1).AddDays(random.Next(50 * 365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["sex"] = female ? "female" : "male",
                ["birthRegistrationProvince"] = ResidentGenerator.ProvinceCodes2024[random.Next(ResidentGenerator.ProvinceCodes2024.Count)],
                ["permanentAddress"] = "1 Lê Lợi",
                ["confirmedNotDuplicate"] = true,
            }, HttpStatusCode.Created, cancellationToken);
            var id = person.GetProperty("personalIdNumber").GetString()!;
            var card = await SendAsync(http, HttpMethod.Post, $"residents/{id}/card-applications", keys.Next(), new JsonObject { ["reason"] = "firstCard" },
                HttpStatusCode.Created, cancellationToken);
            var number = card.GetProperty("documentNumber").GetString()!;
            await SendAsync(http, HttpMethod.Post, $"cards/{number}/production", keys.Next(), new JsonObject(), HttpStatusCode.OK, cancellationToken);
            await SendAsync(http, HttpMethod.Post, $"cards/{number}/issue", keys.Next(), new JsonObject(), HttpStatusCode.OK, cancellationToken);
            var face = await SendAsync(http, HttpMethod.Get, $"cards/{number}/face", null, null, HttpStatusCode.OK, cancellationToken);
            pool.Add(new PresentedCard(number, string.Join('\n', face.GetProperty("mrz").EnumerateArray().Select(static line => line.GetString())),
                face.GetProperty("qr").GetString()!));
        }

        var signingKey = FindUpwards(signingKeyFile) is { } file
            ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim()
            : throw new ScenarioSetUpException($"No signing key at {signingKeyFile}: start the cluster with cluster-config/up.sh, or pass --signing-key-file.");
        // The local cluster's issuer and audience (cluster-config/up.sh).
        var tokens = new RegistryTokens(new RegistryAuthOptions { Issuer = "registry-local", Audience = "registry-api", SigningKey = signingKey }, TimeProvider.System);
        for (var i = 0; i < partners; i++)
        {
            var partnerId = string.Create(CultureInfo.InvariantCulture, $"load-bank-{context.RunId}-{i}");
            await SendAsync(http, HttpMethod.Put, $"partner-policies/{partnerId}", null, new JsonObject
            {
                ["purposes"] = new JsonArray(Purpose),
                ["fields"] = new JsonArray(),
                ["eventKinds"] = new JsonArray(),
                ["requestsPerMinute"] = 60_000,
                ["mayVerify"] = true,
            }, HttpStatusCode.Created, cancellationToken);
            var client = LoopbackTarget.CreateClient(http.BaseAddress!, Math.Max(1, context.Concurrency / partners + 1), http.Timeout);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Issue(new Actor(partnerId, ActorRole.MinistryPartner, null), TimeSpan.FromHours(6)));
            client.DefaultRequestHeaders.Add("Access-Purpose", Purpose);
            client.DefaultRequestHeaders.Add("Access-Purpose-Note", "load-test");
            partnerClients.Add(client);
        }
    }

    public ValueTask<Worker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Worker(partnerClients[workerIndex % partnerClients.Count], context.RandomFor(workerIndex), pool));

    public async ValueTask<RequestOutcome> IssueOneAsync(Worker worker, CancellationToken cancellationToken)
    {
        var card = worker.Pool[worker.Random.Next(worker.Pool.Count)];
        var body = presentedBy switch
        {
            "number" => new JsonObject { ["documentNumber"] = card.DocumentNumber },
            "qr" => new JsonObject { ["qr"] = card.Qr },
            _ => new JsonObject { ["mrz"] = card.Mrz },
        };
        using var response = await worker.Http.PostAsJsonAsync("card-verifications", body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode != HttpStatusCode.OK ? RequestOutcome.UnexpectedStatus(response.StatusCode, text)
            : text == """{"status":"valid"}""" ? RequestOutcome.Success(response.StatusCode)
            : RequestOutcome.ContractBreach("200 but not valid", text);
    }

    public IEnumerable<KeyValuePair<string, string>> DescribeParameters() =>
    [
        new("cards", string.Create(CultureInfo.InvariantCulture, $"{pool.Count:N0} issued during set-up (register, apply, produce, issue, read the face)")),
        new("presented by", presentedBy),
        new("partners", string.Create(CultureInfo.InvariantCulture, $"{partners}, each allowed 60,000 requests a minute; purpose {Purpose}")),
        new("success", "200 {\"status\":\"valid\"}; every request is audited"),
    ];

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, string? idempotencyKey, JsonObject? body,
        HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == expected
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new ScenarioSetUpException($"{method} /{path} answered {(int)response.StatusCode}, not {(int)expected}: {text}");
    }

    private static string? FindUpwards(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : null;
        }

        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, path)))
            {
                return Path.Combine(folder.FullName, path);
            }
        }

        return null;
    }

    /// <summary>One card of the pool as a partner would present it.</summary>
    internal sealed record PresentedCard(string DocumentNumber, string Mrz, string Qr);

    /// <summary>One worker's partner client, random source and the shared, read-only pool.</summary>
    internal sealed record Worker(HttpClient Http, Random Random, IReadOnlyList<PresentedCard> Pool);
}
