namespace FreeBind.Evaluation;

/// <summary>Zero-shot classification metrics.</summary>
/// <param name="Items">Items with at least one class that has prompts; accuracy averages over these.</param>
/// <param name="UnlabelledItems">Items with no such class: left out of accuracy, kept as negatives for mAP.</param>
/// <param name="Classes">Classes with prompts and at least one item; mAP averages over these.</param>
/// <param name="EmptyClasses">Classes with prompts but no item, skipped in mAP.</param>
/// <param name="ClassesWithoutPrompts">Item labels that no prompt stands for; they are ignored.</param>
/// <param name="Accuracy">Top-1 accuracy: the best-scoring class is one of the item's classes (a tie with a wrong class counts as wrong).</param>
/// <param name="MeanAveragePrecision">Mean over classes of the average precision of ranking all items by their score for the class (multi-label, as AudioSet reports it).</param>
public sealed record ClassificationMetrics(
    int Items,
    int UnlabelledItems,
    int Classes,
    int EmptyClasses,
    int ClassesWithoutPrompts,
    double Accuracy,
    double MeanAveragePrecision);
