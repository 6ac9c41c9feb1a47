using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Registry.Admin.Audit;
using Registry.Admin.BulkLoad;
using Registry.Admin.Communes;
using Registry.Admin.Reconciliation;
using Registry.Admin.Schema;
using Registry.Contracts.Access;
using Registry.Tokens;

// registry-admin token --role central-administrator --subject alice [--province 001] [--hours 8]
// registry-admin reconcile [--api http://127.0.0.1:8080] [--token ...]
// registry-admin migrate [--connection "Host=...;Database=registry;..."]   (or ConnectionStrings__Registry)
// registry-admin list
// registry-admin communes import --file communes-2024.csv [--api http://127.0.0.1:8080] [--token ...]
// registry-admin audit verify [--connection "Host=...;Database=registry;..."]   (or ConnectionStrings__Registry)
// registry-admin bulk-load --subject operator-1 [--connection ...] [--service-id population-registry] provinces/*.csv   (cluster stopped)
//
// Reads the API's own token settings, Registry:Auth:Issuer, :Audience and :SigningKey, from an appsettings.json
// beside this program or from the environment (Registry__Auth__SigningKey, ...), and prints the token alone on
// stdout so that scripts can capture it; every complaint goes to stderr.

var role = new Option<string>("--role")
{
    Description = $"The actor's role: {string.Join(", ", ActorClaims.RoleNames)}.",
    Required = true,
};
role.AcceptOnlyFromAmong([.. ActorClaims.RoleNames]);

var subject = new Option<string>("--subject")
{
    Description = "The actor's id as recorded with every change they make, e.g. a staff id; never a person's name.",
    Required = true,
};

var province = new Option<string?>("--province")
{
    Description = "3-digit code of the province a provincial officer writes for; required for that role and refused for the others.",
};

var maximumHours = (int)RegistryTokens.MaximumLifetime.TotalHours;
var hours = new Option<int>("--hours")
{
    Description = $"Hours until the token expires, 1 to {maximumHours}.",
    DefaultValueFactory = _ => 8,
};
hours.Validators.Add(result =>
{
    var value = result.GetValueOrDefault<int>();
    if (value < 1 || value > maximumHours)
    {
        result.AddError($"--hours must be between 1 and {maximumHours}; got {value}.");
    }
});

var token = new Command("token", "Print a signed bearer token for the registry API.") { role, subject, province, hours };
token.SetAction(parse =>
{
    var settings = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();
    var options = settings.GetSection(RegistryAuthOptions.SectionName).Get<RegistryAuthOptions>() ?? new RegistryAuthOptions();
    var problems = options.Validate();
    if (problems.Count > 0)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine(problem);
        }

        return 2;
    }

    // --role only accepts the names ActorClaims parses.
    _ = ActorClaims.TryParseRole(parse.GetRequiredValue(role), out var actorRole);
    var actor = new Actor(parse.GetRequiredValue(subject), actorRole, parse.GetValue(province));
    if (!ActorClaims.IsWellFormed(actor, out var refusal))
    {
        Console.Error.WriteLine(refusal);
        return 1;
    }

    Console.WriteLine(new RegistryTokens(options, TimeProvider.System).Issue(actor, TimeSpan.FromHours(parse.GetValue(hours))));
    return 0;
});

var root = new RootCommand("Population registry operators' commands.")
{
    token, ReconcileCommand.Create(), SchemaCommands.Migrate(), SchemaCommands.List(), ImportCommunesCommand.Create(), AuditCommands.Create(), BulkLoadCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
