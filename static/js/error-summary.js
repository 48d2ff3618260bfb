/* After a failed save or submit, move the keyboard and screen-reader focus to the summary of
   errors at the top of the page; each of its links leads to a field in error. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
