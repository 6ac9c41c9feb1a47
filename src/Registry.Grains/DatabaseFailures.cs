using System.Data.Common;
using Microsoft.Extensions.Logging;
using Registry.Contracts;

namespace Registry.Grains;

/// <summary>
/// Turns a database failure that escapes a grain call into <see cref="RegistryDatabaseUnavailableException"/>, and logs
/// the original here, on the silo that saw it.
/// </summary>
/// <remarks>
/// Translated rather than let through (Orleans' <c>ExceptionSerializationOptions.SupportedNamespacePrefixes</c> could
/// admit "Npgsql"): Npgsql's exceptions carry the server's message, detail, statement position and sometimes the SQL
/// and row values, which would then travel to every caller and its logs; the API would have to know the database's
/// driver and its SQLSTATEs to answer; and without a codec Orleans cannot send them at all, so the caller sees a
/// <c>CodecNotFoundException</c> in place of the cause. One filter on every grain call is the one place all of the
/// grains' database access (the storage provider, which wraps its errors in an <see cref="OrleansException"/>, and the
/// read model and ledgers, which let Npgsql's through) ends when it fails.
/// </remarks>
public sealed partial class DatabaseFailures(ILogger<DatabaseFailures> logger) : IIncomingGrainCallFilter
{
    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.Invoke();
        }
        catch (Exception failure) when (FromDatabase(failure))
        {
            var call = $"{context.TargetId.Type}.{context.MethodName}";
            LogDatabaseFailed(logger, failure, call, context.TargetId.ToString());
            throw new RegistryDatabaseUnavailableException(call);
        }
    }

    // Anywhere in the chain: the storage bridge wraps the driver's exception, Task.WhenAll may aggregate it. A
    // translation made by a grain called from this one is already ours and passes unchanged.
    private static bool FromDatabase(Exception? failure) => failure switch
    {
        null => false,
        DbException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(FromDatabase),
        _ => FromDatabase(failure.InnerException),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "The database failed call {GrainCall} of grain {GrainId}; the caller is told the outcome is unknown and to retry")]
    private static partial void LogDatabaseFailed(ILogger logger, Exception exception, string grainCall, string grainId);
}
