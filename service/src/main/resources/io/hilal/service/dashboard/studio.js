// The studio form's recount as fields change. Without this script the "Recount" button does the
// same by re-rendering the page; with it, the counts and dates follow the form as it is edited.
(function () {
  'use strict';
  var form = document.getElementById('studio-form');
  if (!form || !window.fetch) {
    return;
  }
  // The offer's templates do not change the counts: they stay out of the request.
  var skipped = { csrf: true, intent: true, subject: true, html: true, text: true, couponCode: true };
  var timer = null;
  var latest = 0;

  function text(id, value) {
    var element = document.getElementById(id);
    if (element) {
      element.textContent = value;
    }
  }

  function list(id, items, render) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    while (element.firstChild) {
      element.removeChild(element.firstChild);
    }
    items.forEach(function (item) {
      var li = document.createElement('li');
      render(li, item);
      element.appendChild(li);
    });
  }

  function show(estimate) {
    document.getElementById('estimate-problems').hidden = true;
    text('est-customers', estimate.customers);
    text('est-matching', estimate.matching);
    text('est-reachable', estimate.reachable);
    text('est-treated', estimate.treated);
    text('est-held-out', estimate.heldOut);
    text('est-mde', estimate.minimumDetectableLift);
    text('est-lift', estimate.liftNote);
    text('schedule-note', estimate.scheduleNote);
    text('est-first-send', estimate.firstSendAt);
    text('est-late', estimate.lateNote);
    text('est-program', estimate.programNote);
    document.getElementById('est-approximate').hidden = !estimate.holdoutApproximate;
    list('schedule-date-list', estimate.dates, function (li, date) {
      li.textContent = date.date + (date.past ? ' (past)' : '')
          + (date.next ? ' \u2014 a launch today sends on this one' : '');
      if (date.next) {
        li.className = 'next';
      }
    });
  }

  function problems(problem) {
    var errors = (problem.errors || []).map(function (error) {
      return error.field + ' ' + error.message;
    });
    if (errors.length === 0) {
      errors = [problem.detail || problem.title || 'The form cannot be counted.'];
    }
    document.getElementById('estimate-problems').hidden = false;
    list('estimate-problem-list', errors, function (li, error) {
      li.textContent = error;
    });
  }

  function recount() {
    var query = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (!skipped[name]) {
        query.append(name, value);
      }
    });
    if (form.dataset.campaignId) {
      query.append('campaignId', form.dataset.campaignId);
    }
    var asked = ++latest;
    fetch('/dashboard/studio/estimate?' + query.toString(), {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (asked !== latest) {
          return; // a newer recount is under way
        }
        if (response.ok) {
          show(body);
        } else {
          problems(body);
        }
      });
    }).catch(function () {
      // The Recount button still works.
    });
  }

  function changed(event) {
    if (event.target && skipped[event.target.name]) {
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(recount, 300);
  }

  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.dataset.live = 'true';
})();
