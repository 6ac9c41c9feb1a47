using System.Reflection;
using System.Reflection.Emit;
using Registry.Grains;

namespace Registry.Unit.Tests.PagedWork;

/// <summary>
/// Grains run on their activation's single-threaded scheduler: code that starts threads of its own or blocks one breaks
/// the turn model (state touched from two threads, a blocked scheduler thread, calls that deadlock). Read from the IL of
/// every method of Registry.Grains, async state machines and lambdas included, so no spelling or file layout hides one.
/// </summary>
public sealed class GrainThreadingTests
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(static field => (OpCode)field.GetValue(null)!)
        .ToDictionary(static code => code.Value);

    /// <summary>No grain code calls Parallel.*, Task.Run, TaskFactory.StartNew, a blocking Wait or a task's Result.</summary>
    [Fact]
    public void No_grain_starts_threads_of_its_own_or_blocks_on_a_task()
    {
        var calls = CallsIn(typeof(RegistryStorage).Assembly.GetTypes()).ToArray();

        // The scan must see calls at all, or it proves nothing: every long run keeps a reminder.
        Assert.Contains(calls, static call => call.Callee.Name == "RegisterOrUpdateReminder");
        var forbidden = Forbidden(calls);
        Assert.True(forbidden.Length == 0, string.Join(Environment.NewLine, forbidden));
    }

    /// <summary>The scan finds each forbidden call, also inside an async method's state machine and a lambda.</summary>
    [Fact]
    public void The_scan_finds_every_kind_of_forbidden_call()
    {
        var types = typeof(Offender).GetNestedTypes(BindingFlags.NonPublic).Append(typeof(Offender));

        var forbidden = Forbidden(CallsIn(types));

        Assert.Equal(5, forbidden.Length);
        Assert.Contains(forbidden, static line => line.EndsWith("Offender.Blocks calls Task`1.get_Result", StringComparison.Ordinal));
        Assert.Contains(forbidden, static line => line.EndsWith("Offender.Waits calls Task.Wait", StringComparison.Ordinal));
        Assert.Contains(forbidden, static line => line.EndsWith("Offender.Starts calls Task.Run", StringComparison.Ordinal));
        Assert.Contains(forbidden, static line => line.EndsWith("Offender.Loops calls Parallel.ForEachAsync", StringComparison.Ordinal));
        Assert.Contains(forbidden, static line => line.Contains("<InStateMachine>", StringComparison.Ordinal) && line.EndsWith("MoveNext calls Task`1.get_Result", StringComparison.Ordinal));
    }

    private static string[] Forbidden(IEnumerable<(string Caller, MethodBase Callee)> calls) =>
        [.. calls.Where(static call => IsForbidden(call.Callee)).Select(static call => $"{call.Caller} calls {call.Callee.DeclaringType?.Name}.{call.Callee.Name}").Distinct()];

    private static bool IsForbidden(MethodBase callee)
    {
        var type = callee.DeclaringType;
        if (type is null)
        {
            return false;
        }

        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return definition == typeof(Parallel)
            || definition == typeof(ThreadPool)
            || definition == typeof(Thread) && callee is ConstructorInfo or { Name: nameof(Thread.Sleep) }
            || definition == typeof(Task) && callee.Name is nameof(Task.Run) or nameof(Task.Wait) or nameof(Task.WaitAll) or nameof(Task.WaitAny)
            || definition == typeof(Task<>) && callee.Name == "get_Result"
            || definition == typeof(ValueTask<>) && callee.Name == "get_Result"
            || (definition == typeof(TaskFactory) || definition == typeof(TaskFactory<>)) && callee.Name == nameof(TaskFactory.StartNew)
            || definition == typeof(SemaphoreSlim) && callee.Name == nameof(SemaphoreSlim.Wait)
            || definition == typeof(ManualResetEventSlim) && callee.Name == nameof(ManualResetEventSlim.Wait);
    }

    private static IEnumerable<(string Caller, MethodBase Callee)> CallsIn(IEnumerable<Type> types)
    {
        const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(declared).Cast<MethodBase>().Concat(type.GetConstructors(declared)))
            {
                foreach (var callee in CalleesOf(method))
                {
                    yield return ($"{type.FullName}.{method.Name}", callee);
                }
            }
        }
    }

    private static IEnumerable<MethodBase> CalleesOf(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            var value = il[position] == 0xFE ? (short)(0xFE00 | il[position + 1]) : il[position];
            position += il[position] == 0xFE ? 2 : 1;
            var code = OpCodesByValue[value];
            if (code.OperandType == OperandType.InlineMethod)
            {
                yield return method.Module.ResolveMethod(BitConverter.ToInt32(il, position), typeArguments, methodArguments)!;
            }

            position += code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
                _ => 4,
            };
        }
    }

    /// <summary>What the scan must find: one of each kind of call a grain must not make.</summary>
    private static class Offender
    {
        public static int Blocks(Task<int> task) => task.Result;

        public static void Waits(Task task) => task.Wait();

        public static Task Starts() => Task.Run(static () => { });

        public static Task Loops(int[] items) => Parallel.ForEachAsync(items, static (_, _) => ValueTask.CompletedTask);

        public static async Task<int> InStateMachine(Task<int> task)
        {
            await Task.Yield();
            return task.Result;
        }
    }
}
