using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace FreeBind.Bonds.Checkpoints;

/// <summary>
/// Interprets the pickle opcodes that torch.save emits for state_dicts, without running code.
/// </summary>
/// <remarks>
/// Values become plain objects: string, long, <see cref="BigInteger"/>, double, bool, null,
/// byte[], <see cref="List{T}"/> for lists, <c>object?[]</c> for tuples and
/// <see cref="OrderedDictionary{TKey, TValue}"/> for dicts. GLOBAL is allowed only for
/// collections.OrderedDict, the tensor rebuild functions in torch._utils and torch.*Storage
/// classes; any other name raises <see cref="InvalidDataException"/> naming it.
/// </remarks>
internal sealed class PickleMachine
{
    private readonly byte[] data;
    private readonly string source;
    private readonly Func<object?[], object> persistentLoad;
    private readonly List<object?> stack = [];
    private readonly Stack<int> marks = new();
    private readonly Dictionary<long, object?> memo = [];
    private int position;

    private PickleMachine(byte[] data, string source, Func<object?[], object> persistentLoad)
    {
        this.data = data;
        this.source = source;
        this.persistentLoad = persistentLoad;
    }

    /// <summary>Runs the pickle in <paramref name="data"/> and returns the object STOP leaves on the stack.</summary>
    /// <param name="data">Pickle bytes.</param>
    /// <param name="source">Name for messages, such as the archive entry.</param>
    /// <param name="persistentLoad">Resolves a BINPERSID tuple to an object.</param>
    public static object? Run(byte[] data, string source, Func<object?[], object> persistentLoad)
        => new PickleMachine(data, source, persistentLoad).Run();

    private object? Run()
    {
        while (true)
        {
            int opcodePosition = position;
            byte opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: // PROTO
                    byte protocol = ReadByte();
                    if (protocol > 5)
                    {
                        throw Invalid($"pickle protocol {protocol} is not supported (maximum 5)");
                    }

                    break;
                case 0x95: // FRAME: an 8-byte length that only helps buffered readers.
                    ReadBytes(8);
                    break;
                case (byte)'.': // STOP
                    if (stack.Count != 1 || marks.Count != 0)
                    {
                        throw Invalid(
                            $"pickle ended with {stack.Count} values on the stack and {marks.Count} open marks; "
                            + "the file is damaged");
                    }

                    return stack[0];
                case (byte)'(': // MARK
                    marks.Push(stack.Count);
                    break;
                case (byte)'}': // EMPTY_DICT
                    stack.Add(new OrderedDictionary<object, object?>());
                    break;
                case (byte)']': // EMPTY_LIST
                    stack.Add(new List<object?>());
                    break;
                case (byte)')': // EMPTY_TUPLE
                    stack.Add(Array.Empty<object?>());
                    break;
                case (byte)'d': // DICT
                    stack.Add(MakeDictionary(PopMark(), opcodePosition));
                    break;
                case (byte)'l': // LIST
                    stack.Add(PopMark());
                    break;
                case (byte)'t': // TUPLE
                    stack.Add(PopMark().ToArray());
                    break;
                case 0x85: // TUPLE1
                    stack.Add(PopMany(1));
                    break;
                case 0x86: // TUPLE2
                    stack.Add(PopMany(2));
                    break;
                case 0x87: // TUPLE3
                    stack.Add(PopMany(3));
                    break;
                case (byte)'X': // BINUNICODE
                    stack.Add(Encoding.UTF8.GetString(ReadBytes(ReadLength(4))));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    stack.Add(Encoding.UTF8.GetString(ReadBytes(ReadByte())));
                    break;
                case 0x8d: // BINUNICODE8
                    stack.Add(Encoding.UTF8.GetString(ReadBytes(ReadLength(8))));
                    break;
                case (byte)'T': // BINSTRING (Python 2 str)
                    stack.Add(Encoding.Latin1.GetString(ReadBytes(ReadLength(4))));
                    break;
                case (byte)'U': // SHORT_BINSTRING
                    stack.Add(Encoding.Latin1.GetString(ReadBytes(ReadByte())));
                    break;
                case (byte)'B': // BINBYTES
                    stack.Add(ReadBytes(ReadLength(4)).ToArray());
                    break;
                case (byte)'C': // SHORT_BINBYTES
                    stack.Add(ReadBytes(ReadByte()).ToArray());
                    break;
                case (byte)'J': // BININT
                    stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)));
                    break;
                case (byte)'K': // BININT1
                    stack.Add((long)ReadByte());
                    break;
                case (byte)'M': // BININT2
                    stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2)));
                    break;
                case 0x8a: // LONG1
                    stack.Add(ReadLong(ReadByte()));
                    break;
                case 0x8b: // LONG4
                    stack.Add(ReadLong(ReadLength(4)));
                    break;
                case (byte)'G': // BINFLOAT: big-endian double
                    stack.Add(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8)));
                    break;
                case 0x88: // NEWTRUE
                    stack.Add(true);
                    break;
                case 0x89: // NEWFALSE
                    stack.Add(false);
                    break;
                case (byte)'N': // NONE
                    stack.Add(null);
                    break;
                case (byte)'c': // GLOBAL
                    string module = ReadLine();
                    string name = ReadLine();
                    stack.Add(ResolveGlobal(module, name));
                    break;
                case 0x93: // STACK_GLOBAL
                    string stackName = PopString(opcodePosition);
                    string stackModule = PopString(opcodePosition);
                    stack.Add(ResolveGlobal(stackModule, stackName));
                    break;
                case (byte)'R': // REDUCE
                    object? arguments = Pop();
                    object? callable = Pop();
                    stack.Add(Reduce(callable, arguments, opcodePosition));
                    break;
                case (byte)'b': // BUILD
                    object? state = Pop();
                    Build(Peek(), state, opcodePosition);
                    break;
                case (byte)'s': // SETITEM
                    object? value = Pop();
                    object? key = Pop();
                    SetItem(Peek(), key, value, opcodePosition);
                    break;
                case (byte)'u': // SETITEMS
                    List<object?> pairs = PopMark();
                    object? target = Peek();
                    for (int i = 0; i + 1 < pairs.Count; i += 2)
                    {
                        SetItem(target, pairs[i], pairs[i + 1], opcodePosition);
                    }

                    break;
                case (byte)'a': // APPEND
                    object? item = Pop();
                    AsList(Peek(), opcodePosition).Add(item);
                    break;
                case (byte)'e': // APPENDS
                    List<object?> items = PopMark();
                    AsList(Peek(), opcodePosition).AddRange(items);
                    break;
                case (byte)'q': // BINPUT
                    memo[ReadByte()] = Peek();
                    break;
                case (byte)'r': // LONG_BINPUT
                    memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek();
                    break;
                case 0x94: // MEMOIZE
                    memo[memo.Count] = Peek();
                    break;
                case (byte)'h': // BINGET
                    stack.Add(GetMemo(ReadByte(), opcodePosition));
                    break;
                case (byte)'j': // LONG_BINGET
                    stack.Add(GetMemo(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)), opcodePosition));
                    break;
                case (byte)'Q': // BINPERSID
                    object? persistentId = Pop();
                    if (persistentId is not object?[] idTuple)
                    {
                        throw Invalid($"persistent id at byte {opcodePosition} is not a tuple");
                    }

                    stack.Add(persistentLoad(idTuple));
                    break;
                case (byte)'0': // POP
                    Pop();
                    break;
                default:
                    throw Invalid(
                        $"pickle opcode 0x{opcode:x2} ('{(char)opcode}') at byte {opcodePosition} is not supported; "
                        + "only the opcodes torch.save emits for tensors and dicts are");
            }
        }
    }

    private PickleGlobal ResolveGlobal(string module, string name)
    {
        var global = new PickleGlobal(module, name);
        bool allowed = global.FullName switch
        {
            "collections.OrderedDict" => true,
            "torch._utils._rebuild_tensor_v2" => true,
            "torch._utils._rebuild_tensor" => true,
            "torch._utils._rebuild_parameter" => true,
            _ => module == "torch" && name.EndsWith("Storage", StringComparison.Ordinal),
        };
        if (!allowed)
        {
            throw Invalid(
                $"pickle refers to '{global.FullName}', which a checkpoint reader does not load "
                + "(only tensors, storages and (ordered) dicts are read, and no code is run); "
                + "save only the state_dict, or a dict of tensors and plain values");
        }

        return global;
    }

    private object Reduce(object? callable, object? arguments, int opcodePosition)
    {
        if (callable is not PickleGlobal global)
        {
            throw Invalid($"REDUCE at byte {opcodePosition} calls a {Describe(callable)}, not a known function");
        }

        if (arguments is not object?[] tuple)
        {
            throw Invalid($"REDUCE at byte {opcodePosition} for '{global.FullName}' has {Describe(arguments)} arguments, not a tuple");
        }

        switch (global.FullName)
        {
            case "collections.OrderedDict":
                if (tuple.Length != 0)
                {
                    throw Invalid($"collections.OrderedDict at byte {opcodePosition} has {tuple.Length} arguments; expected none");
                }

                return new OrderedDictionary<object, object?>();
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                return RebuildTensor(global, tuple, opcodePosition);
            case "torch._utils._rebuild_parameter":
                // (data, requires_grad, backward_hooks): a Parameter is its tensor here.
                if (tuple.Length < 1 || tuple[0] is not TorchTensorReference parameterData)
                {
                    throw Invalid($"torch._utils._rebuild_parameter at byte {opcodePosition} has no tensor argument");
                }

                return parameterData;
            default:
                throw Invalid($"'{global.FullName}' at byte {opcodePosition} cannot be called; it names a storage class");
        }
    }

    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    // and the older _rebuild_tensor(storage, storage_offset, size, stride).
    private TorchTensorReference RebuildTensor(PickleGlobal global, object?[] arguments, int opcodePosition)
    {
        if (arguments.Length < 4
            || arguments[0] is not TorchStorageReference storage
            || arguments[1] is not long offset
            || arguments[2] is not object?[] size
            || arguments[3] is not object?[] stride
            || size.Length != stride.Length)
        {
            throw Invalid(
                $"{global.FullName} at byte {opcodePosition} has arguments it cannot read; "
                + "expected (storage, offset, size tuple, stride tuple of the same length, …)");
        }

        return new TorchTensorReference(
            storage,
            offset,
            ToLongs(size, "size", opcodePosition),
            ToLongs(stride, "stride", opcodePosition));
    }

    private void Build(object? target, object? state, int opcodePosition)
    {
        switch (target)
        {
            // state_dict() OrderedDicts carry a _metadata attribute with module versions.
            case OrderedDictionary<object, object?>:
            // _rebuild_tensor_v2 results may carry Python attributes set on the tensor.
            case TorchTensorReference:
                return;
            default:
                throw Invalid(
                    $"BUILD at byte {opcodePosition} sets state {Describe(state)} on a {Describe(target)}, "
                    + "which the reader does not support");
        }
    }

    private void SetItem(object? target, object? key, object? value, int opcodePosition)
    {
        if (target is not OrderedDictionary<object, object?> dictionary)
        {
            throw Invalid($"SETITEM at byte {opcodePosition} targets a {Describe(target)}, not a dict");
        }

        if (key is null)
        {
            throw Invalid($"dict key at byte {opcodePosition} is None, which the reader does not support");
        }

        dictionary[key] = value;
    }

    private OrderedDictionary<object, object?> MakeDictionary(List<object?> items, int opcodePosition)
    {
        var dictionary = new OrderedDictionary<object, object?>();
        for (int i = 0; i + 1 < items.Count; i += 2)
        {
            SetItem(dictionary, items[i], items[i + 1], opcodePosition);
        }

        return dictionary;
    }

    private List<object?> AsList(object? target, int opcodePosition)
        => target as List<object?> ?? throw Invalid($"APPEND at byte {opcodePosition} targets a {Describe(target)}, not a list");

    private long[] ToLongs(object?[] values, string what, int opcodePosition)
    {
        var result = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i] as long?
                ?? throw Invalid($"tensor {what} at byte {opcodePosition} contains {Describe(values[i])}, not an integer");
        }

        return result;
    }

    private object? GetMemo(long index, int opcodePosition)
        => memo.TryGetValue(index, out object? value)
            ? value
            : throw Invalid($"memo entry {index} read at byte {opcodePosition} was never stored; the file is damaged");

    private string PopString(int opcodePosition)
        => Pop() as string ?? throw Invalid($"STACK_GLOBAL at byte {opcodePosition} needs two strings");

    private object? Pop()
    {
        if (stack.Count == 0 || (marks.Count > 0 && stack.Count <= marks.Peek()))
        {
            throw Invalid($"pickle stack underflow at byte {position}; the file is damaged");
        }

        object? value = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private object? Peek()
    {
        if (stack.Count == 0)
        {
            throw Invalid($"pickle stack is empty at byte {position}; the file is damaged");
        }

        return stack[^1];
    }

    private object?[] PopMany(int count)
    {
        var values = new object?[count];
        for (int i = count - 1; i >= 0; i--)
        {
            values[i] = Pop();
        }

        return values;
    }

    private List<object?> PopMark()
    {
        if (marks.Count == 0)
        {
            throw Invalid($"pickle uses a MARK at byte {position} that was never set; the file is damaged");
        }

        int start = marks.Pop();
        List<object?> items = stack.GetRange(start, stack.Count - start);
        stack.RemoveRange(start, stack.Count - start);
        return items;
    }

    private byte ReadByte()
    {
        if (position >= data.Length)
        {
            throw Invalid($"pickle ends at byte {data.Length} before STOP; the file is truncated");
        }

        return data[position++];
    }

    private ReadOnlySpan<byte> ReadBytes(long count)
    {
        if (count < 0 || count > data.Length - position)
        {
            throw Invalid($"pickle needs {count} bytes at byte {position} but only {data.Length - position} remain; the file is truncated");
        }

        var span = new ReadOnlySpan<byte>(data, position, (int)count);
        position += (int)count;
        return span;
    }

    private long ReadLength(int width)
    {
        ReadOnlySpan<byte> bytes = ReadBytes(width);
        ulong length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return length > int.MaxValue ? -1 : (long)length;
    }

    // LONG1/LONG4: little-endian two's complement of the given width.
    private object ReadLong(long width)
    {
        ReadOnlySpan<byte> bytes = ReadBytes(width);
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(data, (byte)'\n', position);
        if (end < 0)
        {
            throw Invalid($"GLOBAL name at byte {position} has no line end; the file is truncated");
        }

        string line = Encoding.UTF8.GetString(data, position, end - position);
        position = end + 1;
        return line;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal global => $"'{global.FullName}'",
        _ => value.GetType().Name,
    };

    private InvalidDataException Invalid(string message) => new($"{source}: {message}");
}
