// The task page's Print button: the print stylesheet lays the page out for paper.
document.getElementById("print")?.addEventListener("click", () => window.print());
