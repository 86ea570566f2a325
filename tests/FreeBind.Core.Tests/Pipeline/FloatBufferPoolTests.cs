using FreeBind.Media;

namespace FreeBind.Core.Tests.Pipeline;

public sealed class FloatBufferPoolTests
{
    [Fact]
    public void Rent_reuses_returned_arrays()
    {
        // A length no other test uses, so parallel tests cannot take the array first.
        const int Length = 150_529;
        var first = FloatBufferPool.Rent(Length);
        Assert.Equal(Length, first.Length);

        FloatBufferPool.Return(first);
        var second = FloatBufferPool.Rent(Length);

        Assert.Same(first, second);
        Assert.Equal(Length + 1, FloatBufferPool.Rent(Length + 1).Length);
    }

    [Fact]
    public void Return_keeps_at_most_limit()
    {
        const int Length = 7_777;
        var arrays = Enumerable.Range(0, FloatBufferPool.MaxPerLength + 5).Select(_ => new float[Length]).ToList();
        foreach (var array in arrays)
        {
            FloatBufferPool.Return(array);
        }

        var rented = Enumerable.Range(0, FloatBufferPool.MaxPerLength + 5).Select(_ => FloatBufferPool.Rent(Length)).ToList();

        Assert.Equal(FloatBufferPool.MaxPerLength, rented.Count(array => arrays.Any(kept => ReferenceEquals(kept, array))));
    }
}
