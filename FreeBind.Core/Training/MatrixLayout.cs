namespace FreeBind.Training;

/// <summary>Which operands of a matrix product <c>C = op(A) · op(B)</c> are transposed.</summary>
internal enum MatrixLayout
{
    /// <summary><c>C = A · B</c>.</summary>
    Plain,

    /// <summary><c>C = A · Bᵀ</c>, as in a Linear layer's forward pass with a PyTorch [out, in] weight.</summary>
    TransposeRight,

    /// <summary><c>C = Aᵀ · B</c>, as in a Linear layer's weight gradient.</summary>
    TransposeLeft,
}
