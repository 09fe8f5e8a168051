/**
 * The English texts of zxcvbn's feedback, by its keys. @zxcvbn-ts/core answers with bare keys and
 * its English package brings a second, larger dictionary we do not need.
 */
import type { TranslationKeys } from '@zxcvbn-ts/core';

export const PASSWORD_FEEDBACK: TranslationKeys = {
  warnings: {
    straightRow: 'Straight rows of keys on the keyboard are easy to guess.',
    keyPattern: 'Short keyboard patterns are easy to guess.',
    simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
    extendedRepeat: 'Repeated patterns like "abcabcabc" are easy to guess.',
    sequences: 'Common sequences like "abc" are easy to guess.',
    recentYears: 'Recent years are easy to guess.',
    dates: 'Dates are easy to guess.',
    topTen: 'This is one of the most used passwords.',
    topHundred: 'This is a very often used password.',
    common: 'This is a commonly used password.',
    similarToCommon: 'This is similar to a commonly used password.',
    wordByItself: 'Single words are easy to guess.',
    namesByThemselves: 'Single names or surnames are easy to guess.',
    commonNames: 'Common names and surnames are easy to guess.',
    userInputs: 'It contains the user name or the name of this application.',
    pwned: 'This password appeared in a data breach.',
  },
  suggestions: {
    l33t: 'Avoid predictable substitutions like "@" for "a".',
    reverseWords: 'Avoid common words spelled backwards.',
    allUppercase: 'Capitalize some letters, not all.',
    capitalization: 'Capitalize more than the first letter.',
    dates: 'Avoid dates and years associated with you.',
    recentYears: 'Avoid recent years.',
    associatedYears: 'Avoid years associated with you.',
    sequences: 'Avoid common sequences of characters.',
    repeated: 'Avoid repeated words and characters.',
    longerKeyboardPattern: 'Use longer keyboard patterns that change direction several times.',
    anotherWord: 'Add more words, less common ones.',
    useWords: 'Use several words, but avoid common phrases.',
    noNeed: 'A strong password needs no symbols, digits or capitals: a few random words will do.',
    pwned: 'If you use this password elsewhere, change it there too.',
  },
  timeEstimation: {
    ltSecond: 'less than a second',
    second: '{base} second',
    seconds: '{base} seconds',
    minute: '{base} minute',
    minutes: '{base} minutes',
    hour: '{base} hour',
    hours: '{base} hours',
    day: '{base} day',
    days: '{base} days',
    month: '{base} month',
    months: '{base} months',
    year: '{base} year',
    years: '{base} years',
    centuries: 'centuries',
  },
};
