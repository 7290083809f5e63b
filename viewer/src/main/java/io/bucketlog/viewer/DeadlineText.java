package io.bucketlog.viewer;

/**
 * Text that checks a {@link ScanBudget}'s deadline as a regular expression reads it, so that a
 * pattern that backtracks without end over a long body cannot hold a request thread past its time.
 */
final class DeadlineText implements CharSequence {
    private final String text;
    private final ScanBudget budget;
    private int reads;

    DeadlineText(String text, ScanBudget budget) {
        this.text = text;
        this.budget = budget;
    }

    @Override
    public char charAt(int index) {
        if ((++reads & 0xFFFF) == 0) {
            budget.checkDeadline();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new DeadlineText(text.substring(start, end), budget);
    }

    @Override
    public String toString() {
        return text;
    }
}
