using System.Net.Sockets;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Running;

/// <summary>Turns a request that got no answer (HTTP, grain call or SQL statement) into an outcome the report can count.</summary>
internal static class TransportFailure
{
    /// <summary>
    /// Classifies <paramref name="exception"/> unless it is the run's own cancellation (Ctrl+C or the hard
    /// stop), which must end the worker instead of being counted as an error.
    /// </summary>
    public static bool TryClassify(Exception exception, CancellationToken runToken, out RequestOutcome outcome)
    {
        outcome = exception switch
        {
            OperationCanceledException when runToken.IsCancellationRequested => default,

            // HttpClient.Timeout surfaces as a cancellation whose inner exception is a TimeoutException.
            TaskCanceledException { InnerException: TimeoutException } or TimeoutException =>
                RequestOutcome.NoResponse("timeout", exception.Message),

            HttpRequestException { InnerException: NonLoopbackEndpointException inner } =>
                RequestOutcome.NoResponse("refused: non-loopback endpoint", inner.Message),

            HttpRequestException { InnerException: SocketException socket } =>
                RequestOutcome.NoResponse(Describe(socket.SocketErrorCode), exception.Message),

            HttpRequestException http =>
                RequestOutcome.NoResponse("transport: " + http.HttpRequestError, exception.Message),

            // Database scenarios: a statement past --timeout, an error PostgreSQL reported, or a lost connection.
            Npgsql.NpgsqlException { InnerException: TimeoutException } =>
                RequestOutcome.NoResponse("timeout", exception.Message),

            Npgsql.PostgresException postgres =>
                RequestOutcome.NoResponse("PostgreSQL " + postgres.SqlState, exception.Message),

            Npgsql.NpgsqlException =>
                RequestOutcome.NoResponse("PostgreSQL connection", exception.Message),

            // Anything else is a bug in a scenario or the client; counted with its type rather than
            // crashing a worker, so one bad answer cannot hang or abort the whole run.
            _ => RequestOutcome.NoResponse(exception.GetType().Name, exception.Message),
        };

        return !(exception is OperationCanceledException && runToken.IsCancellationRequested);
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.TimedOut => "connect timeout",
        _ => "socket: " + error,
    };
}
